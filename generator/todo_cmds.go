package main

import "io"

func cmdScreen(args []string, stdout, stderr io.Writer) error { return errUsage }
func cmdServe(args []string, stdout, stderr io.Writer) error  { return errUsage }
