package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"affdocs/generator/devserver"
	"affdocs/generator/site"
)

// cmdServe is the live preview: it builds the site with the build command's options, serves
// it from memory (public/ is not touched) and rebuilds on every save.
//
// It binds to loopback unless told otherwise: a draft may hold text not yet meant for
// anyone, so a non-loopback -addr (":1313", "0.0.0.0:1313", a LAN address) is refused
// unless -public says so, and then the command warns that the network can read it.
//
// It answers only requests addressed to it (see serveHosts): a page of another site whose
// name an attacker made resolve to 127.0.0.1 (DNS rebinding) is refused, not served the
// draft.
func cmdServe(args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, args, stdout, stderr)
}

// serve is the serve command until ctx ends.
func serve(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", stderr)
	var b buildFlags
	b.register(fs)
	fs.BoolVar(&b.minify, "minify", true, "minify HTML, CSS, JS, SVG, JSON and XML, as build does (false for debugging)")
	addr := fs.String("addr", "127.0.0.1:1313", "address to listen on (port 0 picks a free port)")
	public := fs.Bool("public", false, "allow a non-loopback -addr: anyone who can reach it reads the preview")
	published := fs.Bool("published", false, "serve exactly what build publishes, not the working draft")
	follow := fs.Bool("follow", false, "browsers go to the page that changed")
	verbose := fs.Bool("v", false, "log every rebuild: what changed, what it changed, how long it took")
	var names []string
	fs.Func("host", "with -public, also answer requests for this host `name` (any port; name:port for one), e.g. the machine's network name; repeatable. Otherwise only the listen address, localhost, 127.0.0.1, [::1] and (with -public) the machine's IP addresses are answered", func(v string) error {
		if v == "" || strings.ContainsAny(v, " \t/\\*?#@") {
			return fmt.Errorf("%q is not a host name", v)
		}
		names = append(names, v)
		return nil
	})
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := noArgs(fs, stderr); err != nil {
		return err
	}
	if err := checkAddr(*addr, *public); err != nil {
		fmt.Fprintf(stderr, "serve: %v\n", err)
		return errUsage
	}
	if len(names) > 0 && !*public {
		fmt.Fprintf(stderr, "serve: -host lets other machines read the draft through that name; add -public\n")
		return errUsage
	}
	opt, err := b.options(stderr)
	if err != nil {
		return err
	}
	opt.Draft = !*published
	if opt.SelfCheck != nil { // compile the self-check module once per session, not per save
		opt.SelfCheck = sync.OnceValues(opt.SelfCheck)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	start := time.Now()
	rebuild, stats := devserver.SiteBuilder(b.src, opt)
	srv := devserver.New(devserver.Config{
		Root:    b.src,
		Hosts:   serveHosts(*addr, ln.Addr(), *public, names),
		Rebuild: rebuild,
		Stats:   stats,
		Follow:  *follow,
		Log:     stderr,
		Verbose: *verbose,
		Format: func(err error) string {
			var d *site.Diagnostic
			if errors.As(err, &d) {
				return prefixed(b.src, d)
			}
			return err.Error()
		},
	})
	what := "the working draft (draft preview)"
	if *published {
		what = "the site as build publishes it"
	}
	if *public {
		fmt.Fprintf(stderr, "warning: serving on %s: anyone who can reach this address can read %s\n", ln.Addr(), what)
	}
	fmt.Fprintf(stdout, "serving %s at http://%s/ (built in %v; Ctrl+C stops)\n", what, ln.Addr(), time.Since(start).Round(time.Millisecond))

	ctx, stop := context.WithCancel(ctx)
	defer stop()
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	watched := make(chan error, 1)
	go func() { watched <- srv.Watch(ctx) }()

	select {
	case <-ctx.Done():
	case err = <-served:
	case err = <-watched:
	}
	stop()
	srv.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	hs.Shutdown(sctx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// checkAddr refuses a non-loopback address unless public is set.
func checkAddr(addr string, public bool) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %v", addr, err)
	}
	if loopback(host) || public {
		return nil
	}
	return fmt.Errorf("-addr %s would let other machines read the draft; use a loopback address such as 127.0.0.1, or add -public", addr)
}

// serveHosts is what serve answers (devserver.Config.Hosts) when it was asked to listen on
// addr and listens on bound: the Host header must name the port it listens on and one of
// the host of -addr as given, the address bound, localhost, 127.0.0.1 or [::1]; with -public
// also any IP address of the machine's interfaces (as they are at the start); and any name
// given with -host, on any port (name:port for that port only). Anything else is refused
// with 403: it is a request from a page of another site (DNS rebinding).
func serveHosts(addr string, bound net.Addr, public bool, names []string) []string {
	_, port, _ := net.SplitHostPort(bound.String())
	given, _, _ := net.SplitHostPort(addr)
	hosts := []string{"localhost", "127.0.0.1", "::1"}
	if given != "" {
		hosts = append(hosts, given)
	}
	if tcp, ok := bound.(*net.TCPAddr); ok {
		hosts = append(hosts, tcp.IP.String())
	}
	if public {
		if addrs, err := net.InterfaceAddrs(); err == nil {
			for _, a := range addrs {
				if ipn, ok := a.(*net.IPNet); ok {
					hosts = append(hosts, ipn.IP.String())
				}
			}
		}
	}
	var rule []string
	for _, h := range hosts {
		rule = append(rule, net.JoinHostPort(h, port))
	}
	return append(rule, names...)
}

// loopback reports whether host names this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
