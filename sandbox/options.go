package sandbox

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"
)

// Option configures a sandbox. Options are applied in order by [Start] and [StartTest]; an option
// given a value it cannot use makes Start fail rather than serve something confusing.
type Option func(*config)

// config is what the options set.
type config struct {
	appID        string
	inputID      string
	population   int
	from, to     time.Time
	seed         uint64
	now          func() time.Time
	latency      time.Duration
	processAfter time.Duration
	logger       *slog.Logger
	err          error
}

const (
	// DefaultPopulation is the number of generated customers when [WithPopulation] is not given.
	DefaultPopulation = 5000
	// MaxPopulation bounds [WithPopulation], so that a typo cannot exhaust memory.
	MaxPopulation = 10_000_000
	// DefaultProcessAfter is how long a stored submission takes to be processed when
	// [WithProcessAfter] is not given.
	DefaultProcessAfter = time.Second
	// DefaultSeed seeds the generated population when [WithSeed] is not given.
	DefaultSeed uint64 = 0x0DEDA5A4DB0C5EED
)

func defaultConfig() config {
	return config{
		population:   DefaultPopulation,
		from:         time.Date(2021, time.January, 1, 0, 0, 0, 0, chicago),
		to:           time.Date(2026, time.June, 30, 0, 0, 0, 0, chicago),
		seed:         DefaultSeed,
		now:          time.Now,
		processAfter: DefaultProcessAfter,
		logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

func newConfig(opts []Option) (config, error) {
	c := defaultConfig()
	for _, opt := range opts {
		if opt != nil {
			opt(&c)
		}
	}
	return c, c.err
}

// WithAppID makes the sandbox require exactly this x-omeda-appid header; any other value is
// answered with 403. By default (and with an empty id) any non-empty x-omeda-appid is accepted.
func WithAppID(id string) Option {
	return func(c *config) { c.appID = id }
}

// WithInputID makes the sandbox require exactly this x-omeda-inputid header on store customer and
// order; any other value is answered with 403. By default (and with an empty id) any non-empty
// x-omeda-inputid is accepted.
func WithInputID(id string) Option {
	return func(c *config) { c.inputID = id }
}

// WithPopulation sets the number of generated customers, beside the customers of the vendor's
// examples (default [DefaultPopulation], at most [MaxPopulation]; 0 leaves only the examples).
func WithPopulation(n int) Option {
	return func(c *config) {
		if n < 0 || n > MaxPopulation {
			c.fail(fmt.Errorf("sandbox: population %d is outside [0, %d]", n, MaxPopulation))
			return
		}
		c.population = n
	}
}

// WithPopulationSpan spreads the change dates of the generated customers over [from, to). The
// default is 2021-01-01 to 2026-06-30, midnight in America/Chicago.
func WithPopulationSpan(from, to time.Time) Option {
	return func(c *config) {
		if !from.Before(to) {
			c.fail(fmt.Errorf("sandbox: population span [%s, %s) is empty", from, to))
			return
		}
		c.from, c.to = from, to
	}
}

// WithSeed seeds the generated population: the same seed, size and span give the same customers,
// ids, dates and phone numbers on every run.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed = seed }
}

// WithClock sets the sandbox's "now": the date refused as a future end of a change lookup and the
// DateChanged/CreatedDate of what store customer and order applies. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now == nil {
			c.fail(errors.New("sandbox: WithClock(nil)"))
			return
		}
		c.now = now
	}
}

// WithLatency adds a wait before every answer, faulted or not, for benchmarks and timeout tests.
// The wait ends early when the client goes away or the sandbox closes.
func WithLatency(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail(fmt.Errorf("sandbox: negative latency %s", d))
			return
		}
		c.latency = d
	}
}

// WithLogger logs one record per request (method, path, operation, status, size, duration, and
// the fault used, if any) at level Info. Header values, which carry credentials, are never logged.
// By default nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) {
		if l == nil {
			c.fail(errors.New("sandbox: WithLogger(nil)"))
			return
		}
		c.logger = l
	}
}

// WithProcessAfter sets how long after it was stored a submission is processed (default
// [DefaultProcessAfter]), measured on [WithClock]'s clock. Until then its transaction lookup
// shows it on its way (status 0, 7, 10, 28, then 30 or 31, each for a fifth of the time) and the
// lookups do not show its customer; then it is 100 or 101 and the customer has changed, with
// that moment as its DateChanged. Zero processes every submission at once. A submission sent
// with "RunProcessor": 1 is processed at once whatever this says.
func WithProcessAfter(d time.Duration) Option {
	return func(c *config) {
		if d < 0 {
			c.fail(fmt.Errorf("sandbox: negative processing delay %s", d))
			return
		}
		c.processAfter = d
	}
}
