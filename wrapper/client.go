package wrapper

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/spec"
)

// Version returns the SDK's release version, sent in the User-Agent: the embedded contract's
// info.version, since a release of omeda-go is tagged vX.Y.Z on the commit whose openapi.yaml
// is X.Y.Z, so that the two cannot disagree.
func Version() string {
	c, err := spec.Load()
	if err != nil {
		return "unknown" // the embedded contract is checked by every build's tests; New refuses to start without it
	}
	return c.Version()
}

// Environment is the root URL of one of Omeda's environments, up to /webservices/rest.
type Environment string

// The two environments Omeda documents.
const (
	Production Environment = "https://ows.omeda.com/webservices/rest"
	Staging    Environment = "https://ows.omedastaging.com/webservices/rest"
)

// DefaultTimeout bounds each attempt of a call (connecting, sending, and reading the answer)
// unless WithTimeout says otherwise.
const DefaultTimeout = 60 * time.Second

// Client calls the Omeda API for one brand. It is safe for concurrent use. Create it with New.
type Client struct {
	api       *gen.Client
	http      *http.Client
	brand     string
	appID     string
	inputID   string
	baseURL   string
	userAgent string
	timeout   time.Duration
	retry     RetryPolicy
	log       *slog.Logger
	follow    int // merge hops to follow; 0 = off
	workers   int // change windows fetched at once
	red       *Redactor
	maxAnswer int64 // bytes of a lookup answer or a receipt, decompressed
	maxWindow int64 // bytes of a change window held whole, decompressed
	headers   struct{ appID, inputID, userAgent []string }

	// Seams for tests: the wall clock, waits, and the jitter source.
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	jitter func() float64
}

// Option configures a Client.
type Option func(*settings) error

type settings struct {
	baseURL    string
	inputID    string
	httpClient *http.Client
	timeout    time.Duration
	retry      RetryPolicy
	userAgent  string
	log        *slog.Logger
	follow     int
	workers    int
	calls      int // calls the caller makes at once (WithConcurrentCalls)
	maxAnswer  int64
	maxWindow  int64
}

// The default bounds of an answer held in memory, counted after decompression: a lookup or a
// receipt is a few KiB, a change window of 90 days can hold a great many customers.
const (
	DefaultMaxAnswerSize = 4 << 20
	DefaultMaxWindowSize = 256 << 20
)

// WithEnvironment sends the calls to Production or Staging.
func WithEnvironment(env Environment) Option {
	return func(s *settings) error {
		if env != Production && env != Staging {
			// Not quoted: a mistaken value may hold a credential.
			return fmt.Errorf("unknown environment: use wrapper.Production, wrapper.Staging or WithBaseURL")
		}
		s.baseURL = string(env)
		return nil
	}
}

// WithBaseURL sends the calls to another root URL, up to and including /webservices/rest: a
// sandbox, a test server, a proxy. It must be absolute (http or https, with a host) and carry
// no user or password, no query and no fragment, not even an empty one ("…/rest?"). The errors
// never quote the URL, which may hold a credential; at most its scheme and host.
func WithBaseURL(base string) Option {
	return func(s *settings) error {
		where := placeOf(base)
		u, err := url.Parse(base)
		if err != nil {
			return fmt.Errorf("base URL does not parse as a URL (%s)", where)
		}
		switch {
		case u.Scheme != "http" && u.Scheme != "https":
			return fmt.Errorf("base URL must be absolute, http or https (%s)", where)
		case u.Host == "":
			return fmt.Errorf("base URL must name a host (%s)", where)
		case u.User != nil:
			return fmt.Errorf("base URL must not carry credentials, a user name or password (%s)", where)
		case u.RawQuery != "" || u.ForceQuery || strings.Contains(base, "?"):
			return fmt.Errorf("base URL must not carry a query, '?' (%s)", where)
		case u.Fragment != "" || strings.Contains(base, "#"):
			return fmt.Errorf("base URL must not carry a fragment, '#' (%s)", where)
		case u.Opaque != "":
			return fmt.Errorf("base URL must be hierarchical, scheme://host/path (%s)", where)
		}
		s.baseURL = strings.TrimRight(u.String(), "/")
		return nil
	}
}

// placeOf is what an error may show of a base URL: its scheme and host, without a user name,
// password, path, query or fragment, escaped. It works on text that may not parse as a URL.
func placeOf(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		scheme, rest = "", raw
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		rest = rest[i+1:]
	}
	if scheme != "" {
		rest = scheme + "://" + rest
	}
	if rest == "" {
		return "no host"
	}
	return snippet(rest, 80)
}

// WithMaxAnswerSize bounds the answer of a lookup, a receipt or a transaction the client reads
// into memory, and each customer of ChangedCustomerStream, counted after decompression
// (default DefaultMaxAnswerSize, 4 MiB; at least 1 KiB). A larger answer is an error matching
// ErrAnswerTooLarge, never a larger heap.
func WithMaxAnswerSize(n int64) Option {
	return func(s *settings) error {
		if n < 1<<10 {
			return fmt.Errorf("maximum answer size %d: must be at least 1 KiB", n)
		}
		s.maxAnswer = n
		return nil
	}
}

// WithMaxWindowSize bounds the change windows that the client holds whole (ChangedCustomers,
// ChangedCustomerWindows), counted after decompression (default DefaultMaxWindowSize, 256 MiB; at
// least 1 KiB), three ways: the bytes of each window's answer; the memory its decoded customers
// take (a struct of 64 bytes plus the bytes of its strings, and the list's spare capacity), which
// is what the heap holds; and that memory once for all the windows fetched at once, so that
// WithWindowConcurrency shares the bound rather than multiplying it (ChangedCustomers, which merges
// every window of its range into one answer, counts them all). Any single customer, and any other
// value of the answer, is bounded by WithMaxAnswerSize as in a stream. A window past a bound is an
// error matching ErrAnswerTooLarge; split the range finer, lower the concurrency, raise the bound,
// or use ChangedCustomerStream, which holds one customer at a time.
func WithMaxWindowSize(n int64) Option {
	return func(s *settings) error {
		if n < 1<<10 {
			return fmt.Errorf("maximum window size %d: must be at least 1 KiB", n)
		}
		s.maxWindow = n
		return nil
	}
}

// WithInputID sets the input id (x-omeda-inputid) that store customer and order needs. The
// lookups do not send it.
func WithInputID(id string) Option {
	return func(s *settings) error {
		if err := checkSecret("input id", id); err != nil {
			return err
		}
		s.inputID = id
		return nil
	}
}

// WithHTTPClient sends requests through hc (its transport, proxy and TLS settings). The client
// is copied, not changed: redirects are refused on the copy, because a redirect could carry
// the app id to another host. hc's transport keeps its own bounds, such as
// http.Transport.MaxResponseHeaderBytes (the SDK's own transport allows 1 MiB of headers).
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return fmt.Errorf("HTTP client is nil")
		}
		s.httpClient = hc
		return nil
	}
}

// WithTimeout bounds each attempt of a call, answer included (default DefaultTimeout). Zero
// means no bound beyond the caller's context.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return fmt.Errorf("timeout %v is negative", d)
		}
		s.timeout = d
		return nil
	}
}

// WithRetryPolicy replaces the default policy (DefaultRetryPolicy).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if err := p.validate(); err != nil {
			return err
		}
		s.retry = p
		return nil
	}
}

// WithUserAgent puts a product token of the caller's, such as "acme-sync/2.1", in front of the
// SDK's own User-Agent.
func WithUserAgent(product string) Option {
	return func(s *settings) error {
		for _, r := range product {
			if r < 0x20 || r == 0x7f || r > 0x7e && r < 0xa0 || r == utf8.RuneError {
				return fmt.Errorf("user agent must be printable text on one line (no control characters)")
			}
		}
		s.userAgent = strings.TrimSpace(product)
		return nil
	}
}

// WithLogger logs each attempt (at debug level) and each retry (at warn level) to l. Log
// records carry the operation, method, path, status, attempt and wait; never a header value.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.log = l
		return nil
	}
}

// WithFollowMerges makes PhoneNumbers and MergeHistory follow a merged customer to the
// customer it was merged into, up to hops times (0 to 10; 0 is off), instead of returning
// ErrMerged. Off by default.
func WithFollowMerges(hops int) Option {
	return func(s *settings) error {
		if hops < 0 || hops > 10 {
			return fmt.Errorf("merge hops %d: must be between 0 and 10", hops)
		}
		s.follow = hops
		return nil
	}
}

// WithWindowConcurrency lets ChangedCustomers and ChangedCustomerWindows fetch up to n windows
// at once (1 to 16, default 1); ChangedCustomerStream, which holds one customer at a time,
// fetches one window at a time whatever n is. Results still arrive in window order. Omeda
// publishes no rate limits; raise this only as far as your agreement with Omeda allows.
func WithWindowConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > 16 {
			return fmt.Errorf("window concurrency %d: must be between 1 and 16", n)
		}
		s.workers = n
		return nil
	}
}

// WithConcurrentCalls tells the client that its caller makes up to n calls at once (1 to 64,
// default 1), such as a bulk lookup over many customers, so that its connection pool keeps that
// many connections open between calls rather than closing and redialing them. It limits
// nothing, and has no effect with WithHTTPClient, whose pool is the caller's.
func WithConcurrentCalls(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > 64 {
			return fmt.Errorf("concurrent calls %d: must be between 1 and 64", n)
		}
		s.calls = n
		return nil
	}
}

// New returns a client for one brand. The brand abbreviation and the app id (x-omeda-appid)
// are required, and so is a destination: WithEnvironment or WithBaseURL. Bad options are
// refused here with an error that wraps ErrInvalidInput, rather than with a 403 later; the
// error never repeats a credential. A client holds its own pool of connections (unless
// WithHTTPClient gives one): create it once and share it.
func New(brand, appID string, opts ...Option) (*Client, error) {
	s := settings{timeout: DefaultTimeout, retry: DefaultRetryPolicy(), workers: 1,
		maxAnswer: DefaultMaxAnswerSize, maxWindow: DefaultMaxWindowSize}
	if err := checkBrand(brand); err != nil {
		return nil, &cleanError{msg: NewRedactor(appID).Clean(err.Error()), err: ErrInvalidInput}
	}
	if err := checkSecret("app id", appID); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidInput, err)
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			// An option's error names what is wrong; redacted all the same, since a mistaken
			// value can hold a credential.
			return nil, &cleanError{msg: NewRedactor(appID, s.inputID).Clean(fmt.Sprintf("%v: %v", ErrInvalidInput, err)), err: ErrInvalidInput}
		}
	}
	if s.baseURL == "" {
		return nil, fmt.Errorf("%w: no destination: use WithEnvironment(wrapper.Production), WithEnvironment(wrapper.Staging) or WithBaseURL", ErrInvalidInput)
	}

	hc := &http.Client{Transport: defaultTransport(max(s.workers, s.calls))}
	if s.httpClient != nil {
		copied := *s.httpClient
		hc = &copied
	}
	hc.CheckRedirect = refuseRedirects

	c := &Client{
		brand:     brand,
		appID:     appID,
		inputID:   s.inputID,
		baseURL:   s.baseURL,
		userAgent: strings.TrimSpace(s.userAgent + " omeda-go/" + Version() + " (+https://github.com/omeda-go/omeda-go)"),
		timeout:   s.timeout,
		retry:     s.retry,
		log:       s.log,
		follow:    s.follow,
		workers:   s.workers,
		now:       time.Now,
		sleep:     sleepContext,
		jitter:    rand.Float64,
		red:       NewRedactor(appID, s.inputID),
		maxAnswer: s.maxAnswer,
		maxWindow: s.maxWindow,
	}
	api, err := gen.NewClient(s.baseURL, gen.WithHTTPClient(hc), gen.WithRequestEditorFn(c.authorize),
		gen.WithRequestEditorFn(unreplayable))
	if err != nil {
		return nil, fmt.Errorf("%w: the base URL is refused by the generated client", ErrInvalidInput)
	}
	c.api = api
	c.http = hc
	c.headers.appID, c.headers.inputID, c.headers.userAgent = []string{c.appID}, []string{c.inputID}, []string{c.userAgent}
	c.warnCleartext()
	return c, nil
}

// Clean returns s fit to print: the client's app id and input id redacted, whatever they are
// disguised with, and control characters escaped, on one line (see the package function
// Clean, which takes the secrets itself).
func (c *Client) Clean(s string) string { return c.red.Clean(s) }

// Brand returns the brand abbreviation the client works on.
func (c *Client) Brand() string { return c.brand }

// BaseURL returns the root URL the client sends to.
func (c *Client) BaseURL() string { return c.baseURL }

// authorize adds the app id and the User-Agent to every request the generated client builds.
// The request is the generated client's own, never one of the caller's.
// The values are set as prepared one-element slices under their canonical keys, which spares
// two allocations per header and call; no transport changes a header value in place.
func (c *Client) authorize(_ context.Context, req *http.Request) error {
	req.Header["X-Omeda-Appid"] = c.headers.appID[:1:1]
	req.Header["User-Agent"] = c.headers.userAgent[:1:1]
	return nil
}

// withInputID adds the input id, for the one operation that needs it.
func (c *Client) withInputID(_ context.Context, req *http.Request) error {
	req.Header["X-Omeda-Inputid"] = c.headers.inputID[:1:1]
	return nil
}

func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// defaultTransport is the connection pool of a client built without WithHTTPClient: Go's
// default settings (proxy from the environment, timeouts), but enough idle connections per host
// for the windows fetched (or calls made) at once, which http.DefaultTransport's two would make
// redial Omeda.
func defaultTransport(workers int) http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = max(t.MaxIdleConnsPerHost, workers, 4)
	t.MaxResponseHeaderBytes = maxHeaderBytes
	return t
}

// maxHeaderBytes bounds the headers of an answer read through the client's own transport
// (net/http allows 10 MB): Omeda's come to a few hundred bytes, and an answer whose headers pass
// the bound is a *TransportError.
const maxHeaderBytes = 1 << 20

func checkBrand(brand string) error {
	switch {
	case brand == "":
		return fmt.Errorf("%w: brand abbreviation is empty", ErrInvalidInput)
	}
	re, err := brandPattern()
	if err != nil {
		return err
	}
	switch {
	case len(brand) > 50 || !re.MatchString(brand):
		return fmt.Errorf("%w: brand abbreviation %s: only letters, digits, '_' and '-' (at most 50, starting with a letter or digit)",
			ErrInvalidInput, quoted(brand, 60))
	}
	return nil
}

// checkSecret refuses an empty credential or one that could not travel in a header, without
// ever quoting it.
func checkSecret(what, v string) error {
	if v == "" {
		return fmt.Errorf("%s is empty", what)
	}
	if strings.TrimSpace(v) != v {
		return fmt.Errorf("%s has leading or trailing white space", what)
	}
	for _, r := range v {
		if r < 0x21 || r > 0x7e {
			return fmt.Errorf("%s contains a character that cannot be sent in a header", what)
		}
	}
	return nil
}

func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
