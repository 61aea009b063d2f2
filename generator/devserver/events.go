package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// The messages browsers get, as Server-Sent Events. Each data line is one JSON object.
//
//	hello   {"build": "…", "errors": […]}      on connect: the current build and its errors
//	reload  {"files": […], "all": true, "follow": "a/b/", "shown": ["a/chart.png"]}
//	styles  {"styles": {"assets/site.css": "assets/site.css?v=…"}}
//	errors  {"errors": ["content/a.md:3:1: message", …]}
//	ok      {}                                the build is good again: clear the overlay
type message struct {
	Build  string            `json:"build,omitempty"`
	Files  []string          `json:"files,omitempty"`
	All    bool              `json:"all,omitempty"`
	Follow string            `json:"follow,omitempty"`
	Shown  []string          `json:"shown,omitempty"`
	Styles map[string]string `json:"styles,omitempty"`
	Errors []string          `json:"errors,omitempty"`
}

// event is one encoded Server-Sent Event.
func event(name string, m message) []byte {
	data, _ := json.Marshal(m)
	return fmt.Appendf(nil, "event: %s\ndata: %s\n\n", name, data)
}

// hub fans events out to every connected browser.
type hub struct {
	mu      sync.Mutex
	clients map[chan []byte]bool
	closed  chan struct{}
}

func newHub() *hub { return &hub{clients: map[chan []byte]bool{}, closed: make(chan struct{})} }

// subscribe returns the channel a client's events arrive on and a function to leave.
func (h *hub) subscribe() (chan []byte, func()) {
	ch := make(chan []byte, 16)
	h.mu.Lock()
	h.clients[ch] = true
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.clients, ch)
		h.mu.Unlock()
	}
}

// publish sends ev to every client. A client too slow to take it is disconnected; its
// browser reconnects and, seeing a newer build in the hello, updates the page.
func (h *hub) publish(ev []byte) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.clients {
		select {
		case ch <- ev:
		default:
			delete(h.clients, ch)
			close(ch)
		}
	}
}

// clients is the number of connected browsers.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// close ends every event stream, so that the HTTP server can shut down.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed:
	default:
		close(h.closed)
	}
}

// keepAlive is how often an idle stream gets a comment line, so proxies keep it open.
const keepAlive = 20 * time.Second

// serveEvents is the event stream: a hello with the current state, then every event.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not buffer the stream
	ch, leave := s.hub.subscribe()
	defer leave()
	st := s.state.Load()
	w.WriteHeader(http.StatusOK)
	w.Write([]byte("retry: 500\n\n"))
	w.Write(event("hello", message{Build: st.build, Errors: st.errors}))
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				return
			}
			w.Write(ev)
		case <-tick.C:
			w.Write([]byte(": keep-alive\n\n"))
		case <-r.Context().Done():
			return
		case <-s.hub.closed:
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}
