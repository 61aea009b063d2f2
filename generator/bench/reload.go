package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"affdocs/generator/corpus"
)

// reloads measures, on the corpus of n pages in dir, what an editor waits for with each
// tool's live preview (this generator's serve, Hugo's hugo server, both as they start by
// default): the time from writing a page's Markdown to its new text showing in the page
// open in headless Chromium. The page is polled for the text every 2 ms.
func (b *bench) reloads(dir string, n int) error {
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		b.printf("\n## Save to visible\n\nChromium is not installed (apt-get install chromium): not measured.\n")
		return nil
	}
	source := filepath.Join(dir, filepath.FromSlash(corpus.PagePath(n, 1)))
	sitePath := strings.TrimSuffix(strings.TrimPrefix(corpus.PagePath(n, 1), "content/"), ".md") + "/"
	orig, err := os.ReadFile(source)
	if err != nil {
		return err
	}
	defer os.WriteFile(source, orig, 0o644)

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromium), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true))
	defer cancelAlloc()

	measure := func(tool string, cmd *exec.Cmd, url string) (series, error) {
		cmd.Env = append(os.Environ(), "GOCACHE="+b.gocache)
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		defer func() { cmd.Process.Kill(); cmd.Wait() }()
		if err := waitHTTP(url, 5*time.Minute); err != nil {
			return nil, fmt.Errorf("%s: %v", tool, err)
		}
		ctx, cancel := chromedp.NewContext(alloc)
		defer cancel()
		ctx, cancelT := context.WithTimeout(ctx, 10*time.Minute)
		defer cancelT()
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitReady("main")); err != nil {
			return nil, fmt.Errorf("%s: %v", tool, err)
		}
		time.Sleep(time.Second) // let the live-reload connection open
		var s series
		for i := range b.runs + 4 {
			marker := fmt.Sprintf("Marker%s%d", tool, i)
			start := time.Now()
			if err := os.WriteFile(source, fmt.Appendf(append([]byte(nil), orig...), "\n%s is new text.\n", marker), 0o644); err != nil {
				return nil, err
			}
			for {
				// Errors while the page reloads are expected: try again.
				seen, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`!!document.body && document.body.innerText.includes(%q)`, marker)))
				if seen {
					break
				}
				if time.Since(start) > time.Minute {
					return nil, fmt.Errorf("%s: the edit did not show within a minute", tool)
				}
				time.Sleep(2 * time.Millisecond)
			}
			s = append(s, sample{secs: time.Since(start).Seconds()})
			fmt.Fprintf(os.Stderr, "  %s save to visible: %.0f ms\n", tool, 1000*time.Since(start).Seconds())
			time.Sleep(2 * time.Second) // both tools settle (Hugo misses a save made while it rebuilds)
		}
		return s, nil
	}

	port := freePort()
	ours, err := measure("ours", exec.Command(b.ours, "serve", "-src", dir, "-addr", fmt.Sprintf("127.0.0.1:%d", port)),
		fmt.Sprintf("http://127.0.0.1:%d/%s", port, sitePath))
	if err != nil {
		return err
	}
	b.printf("\n## Save to visible (%d-page corpus, headless Chromium, %d edits each)\n\n| tool | median ms |\n|---|---:|\n", n, len(ours))
	b.printf("| ours (serve) | %.0f |\n", 1000*ours.median().secs)
	if b.hugo == "" {
		return nil
	}
	port = freePort()
	hugo, err := measure("hugo", exec.Command(b.hugo, "server", "-s", dir, "--bind", "127.0.0.1", "--port", fmt.Sprint(port)),
		fmt.Sprintf("http://127.0.0.1:%d/docs/%s", port, sitePath))
	if err != nil {
		return err
	}
	b.discard(filepath.Join(dir, "resources"))
	b.printf("| Hugo (hugo server) | %.0f |\n", 1000*hugo.median().secs)
	b.printf("\nSave to visible is **%.1fx** faster than hugo server's.\n", hugo.median().secs/ours.median().secs)
	return nil
}

// waitHTTP waits until url answers 200.
func waitHTTP(url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer within %s", url, limit)
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 18080
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
