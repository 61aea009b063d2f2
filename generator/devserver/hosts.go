package devserver

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// hostRule is the set of Host header values a server answers (see Config.Hosts).
type hostRule struct {
	exact   map[string]bool // "host:port", host canonical and lower case
	anyPort map[string]bool // host, canonical and lower case
}

// loopbackNames are the names that reach this machine only, whatever DNS says.
var loopbackNames = []string{"localhost", "127.0.0.1", "::1"}

func newHostRule(hosts []string) *hostRule {
	r := &hostRule{exact: map[string]bool{}, anyPort: map[string]bool{}}
	if len(hosts) == 0 {
		hosts = loopbackNames
	}
	for _, h := range hosts {
		if host, port, err := net.SplitHostPort(h); err == nil {
			r.exact[net.JoinHostPort(canonHost(host), port)] = true
		} else {
			r.anyPort[canonHost(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))] = true
		}
	}
	return r
}

// allows reports whether a request's Host header names an address the server answers.
// A Host without a port names port 80, as a browser sends it for http://name/.
func (r *hostRule) allows(hostHeader string) bool {
	if hostHeader == "" {
		return false
	}
	host, port, err := net.SplitHostPort(hostHeader)
	if err != nil {
		host, port = strings.TrimSuffix(strings.TrimPrefix(hostHeader, "["), "]"), "80"
	}
	if port == "" {
		port = "80"
	}
	host = canonHost(host)
	return r.anyPort[host] || r.exact[net.JoinHostPort(host, port)]
}

// canonHost is host in lower case, an IP address in its canonical form.
func canonHost(host string) string {
	if ip := net.ParseIP(host); ip != nil && !strings.Contains(host, "%") {
		return ip.String()
	}
	return strings.ToLower(host)
}

// checkHost refuses a request whose Host header names another address than the server's,
// and reports whether it did. Such a request comes from a page of another site whose name
// was made to resolve to this machine (DNS rebinding): answering it would let that page
// read the draft.
func (s *Server) checkHost(w http.ResponseWriter, r *http.Request) bool {
	if s.hosts.allows(r.Host) {
		return false
	}
	s.refusedMu.Lock()
	first := len(s.refused) < 10 && !s.refused[r.Host]
	if first {
		s.refused[r.Host] = true
	}
	s.refusedMu.Unlock()
	if first {
		fmt.Fprintf(s.cfg.Log, "refused a request for host %q: serve answers only its own address (serve -h: -public, -host)\n", r.Host)
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	http.Error(w, "Forbidden: this preview server answers only requests addressed to its own address, "+
		"not to the host named in this request. If you reach it through another name on purpose, "+
		"restart it with -public -host NAME.", http.StatusForbidden)
	return true
}
