// Package devserver is the live-editing server.
package devserver
