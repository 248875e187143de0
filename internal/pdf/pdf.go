// Package pdf prints HTML to PDF in headless Chromium (the dossier, 案卷)
// and reads back where named destinations fell, so a table of contents can
// carry the right page numbers.
//
// The browser is found once (ZHIFA_CHROMIUM, else chromium,
// chromium-browser or google-chrome on PATH), started on the first render,
// reused for later ones with a new tab each, and stopped after a while
// without work or by Close. Where no browser is installed Render returns
// ErrUnavailable and the server says so; the documents' own pages still
// print from the user's browser.
package pdf

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ErrUnavailable: no Chromium on this server.
var ErrUnavailable = errors.New("pdf: no Chromium installed (Debian package chromium)")

// UnavailableMessage is what a user is told when ErrUnavailable.
const UnavailableMessage = "本服务器未安装 Chromium（Debian 软件包 chromium），无法生成案卷 PDF；各文书仍可在其页面上用浏览器打印。"

// Timeout bounds one render (a dossier of a few hundred pages with
// photographs takes seconds, not minutes).
const Timeout = 2 * time.Minute

// Parallel is how many pages print at once; more wait their turn (each
// tab of a long dossier holds a few hundred MB while it prints).
const Parallel = 3

// idle is how long an unused browser stays up: a dossier is downloaded now
// and then, so the browser's memory is given back between downloads.
const idle = 10 * time.Minute

// Renderer prints HTML with one shared headless Chromium.
type Renderer struct {
	path  string        // the browser's executable, "" when none is installed
	slots chan struct{} // one per render in progress (Parallel)

	mu      sync.Mutex
	browser context.Context // the browser's chromedp context; nil when not running
	stop    func()          // stops the browser and its allocator
	dir     string          // the browser's temporary profile
	busy    int             // renders in progress
	timer   *time.Timer     // stops the browser after idle
	closed  bool
}

// New finds the browser; it starts nothing.
func New() *Renderer { return &Renderer{path: Find(), slots: make(chan struct{}, Parallel)} }

// Find is the browser's executable: ZHIFA_CHROMIUM, else the first of
// chromium, chromium-browser, google-chrome on PATH; "" if none.
func Find() string {
	if p := os.Getenv("ZHIFA_CHROMIUM"); p != "" {
		if abs, err := exec.LookPath(p); err == nil {
			return abs
		}
		return ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Available reports whether a browser is installed.
func (r *Renderer) Available() bool { return r != nil && r.path != "" }

// start returns the running browser's context, starting it if needed; the
// caller holds r.mu.
func (r *Renderer) start() (context.Context, error) {
	if r.browser != nil && r.browser.Err() == nil {
		return r.browser, nil
	}
	r.shutdown()
	dir, err := os.MkdirTemp("", "zhifa-chromium-")
	if err != nil {
		return nil, fmt.Errorf("pdf: profile folder: %w", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(r.path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(dir))
	// The browser outlives any one request: its contexts hang off Background.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	if err := chromedp.Do(browser); err != nil { // starts the browser, with no timeout (see chromedp.NewContext)
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pdf: start %s: %w", r.path, err)
	}
	r.browser, r.dir = browser, dir
	r.stop = func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(dir)
	}
	return browser, nil
}

// shutdown stops the browser; the caller holds r.mu.
func (r *Renderer) shutdown() {
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	if r.stop != nil {
		r.stop()
	}
	r.browser, r.stop, r.dir = nil, nil, ""
}

// Close stops the browser (server shutdown). Render fails after Close.
func (r *Renderer) Close() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	r.shutdown()
	return nil
}

// acquire hands out the running browser for one render.
func (r *Renderer) acquire() (context.Context, error) {
	if !r.Available() {
		return nil, ErrUnavailable
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errors.New("pdf: renderer closed")
	}
	b, err := r.start()
	if err != nil {
		return nil, err
	}
	r.busy++
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	return b, nil
}

// release ends one render; the last one arms the idle timer. A browser
// that died, or failed a render with nothing else in progress, is dropped
// so the next render starts a new one.
func (r *Renderer) release(b context.Context, failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.busy--
	if r.browser != b {
		return
	}
	if b.Err() != nil || failed && r.busy == 0 {
		r.shutdown()
		return
	}
	if r.busy == 0 {
		r.timer = time.AfterFunc(idle, func() {
			r.mu.Lock()
			defer r.mu.Unlock()
			if r.busy == 0 && r.browser == b {
				r.shutdown()
			}
		})
	}
}

// Render prints a self-contained HTML page (styles inline, images as data:
// URIs: the page is loaded into about:blank and fetches nothing) to PDF,
// with the page size and margins of its CSS @page rules and its
// backgrounds, once its fonts are loaded.
func (r *Renderer) Render(ctx context.Context, html string) (out []byte, err error) {
	if !r.Available() {
		return nil, ErrUnavailable
	}
	select {
	case r.slots <- struct{}{}:
		defer func() { <-r.slots }()
	case <-ctx.Done():
		return nil, fmt.Errorf("pdf: waiting to print: %w", ctx.Err())
	}
	b, err := r.acquire()
	if err != nil {
		return nil, err
	}
	defer func() { r.release(b, err != nil && ctx.Err() == nil) }()

	tab, closeTab := chromedp.NewContext(b)
	defer closeTab()
	if err := chromedp.Do(tab); err != nil { // opens the tab, bound to tab (not to a timeout)
		return nil, fmt.Errorf("pdf: new tab: %w", err)
	}
	// The work stops at the timeout or when the request goes away.
	work, cancel := context.WithTimeout(tab, Timeout)
	defer cancel()
	stopAfter := context.AfterFunc(ctx, cancel)
	defer stopAfter()

	err = chromedp.Do(work,
		chromedp.Navigate("about:blank"),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			// The page is data: it runs no script of its own (the
			// evaluation below is the printer's, not the page's).
			if _, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
				return err
			}
			tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
			if err != nil {
				return err
			}
			_, err = cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{
				FrameID: tree.FrameTree.Frame.ID, HTML: html})
			return err
		}),
		// Images are data: URIs, decoded asynchronously, and fonts load
		// lazily: print only when both are ready.
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`(async () => {
				await document.fonts.ready;
				await Promise.all(Array.from(document.images, i => i.decode().catch(() => null)));
				return true;
			})()`, chromedp.EvalAwaitPromise)(ctx, t)
			return err
		}),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			var err error
			out, err = chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground(), chromedp.PDFStream())(ctx, t)
			return err
		}),
	)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("pdf: render: %w", ctx.Err())
		}
		return nil, fmt.Errorf("pdf: render: %w", err)
	}
	return out, nil
}
