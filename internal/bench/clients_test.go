package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/wrapper"
)

// The raw baseline: what a careful programmer writes with net/http and encoding/json alone,
// decoding into the same generated models.

type raw struct {
	hc   *http.Client
	base string
}

func (r raw) get(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("x-omeda-appid", appID)
	resp, err := r.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func (r raw) phones(ctx context.Context, id string) (*gen.CustomerPhones, error) {
	var out gen.CustomerPhones
	return &out, r.get(ctx, phonePath(r.base, id), &out)
}

func (r raw) changes(ctx context.Context, from, to time.Time) (*gen.CustomerChanges, error) {
	var out gen.CustomerChanges
	start, end := from.In(wrapper.Chicago()).Format("01022006_1504"), to.In(wrapper.Chicago()).Format("01022006_1504")
	return &out, r.get(ctx, changesPath(r.base, start, end), &out)
}

// backfill walks 90-day windows one after the other, handing each to use and dropping it.
func (r raw) backfill(ctx context.Context, from, to time.Time, use func([]gen.ChangedCustomer)) error {
	for start := from; start.Before(to); {
		end := start.AddDate(0, 0, 90)
		if end.After(to) {
			end = to
		}
		out, err := r.changes(ctx, start, end)
		if err != nil {
			return err
		}
		use(out.Customers)
		start = end
	}
	return nil
}

// The generated client, used as its README shows: ClientWithResponses.

type generated struct{ c *gen.ClientWithResponses }

func newGenerated(tb testing.TB, base string) generated {
	c, err := gen.NewClientWithResponses(base,
		gen.WithHTTPClient(&http.Client{Transport: transport()}),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("x-omeda-appid", appID)
			return nil
		}))
	if err != nil {
		tb.Fatal(err)
	}
	return generated{c}
}

func (g generated) phones(ctx context.Context, id string) (*gen.CustomerPhones, error) {
	res, err := g.c.PhoneLookupByCustomerIDWithResponse(ctx, brand, id)
	if err != nil {
		return nil, err
	}
	if res.JSON200 == nil {
		return nil, fmt.Errorf("HTTP %d", res.StatusCode())
	}
	return res.JSON200, nil
}

func (g generated) changes(ctx context.Context, from, to time.Time) (*gen.CustomerChanges, error) {
	res, err := g.c.CustomerChangeLookupWithResponse(ctx, brand, wrapper.FormatDateTime(from), wrapper.FormatDateTime(to))
	if err != nil {
		return nil, err
	}
	if res.JSON200 == nil {
		return nil, fmt.Errorf("HTTP %d", res.StatusCode())
	}
	return res.JSON200, nil
}

// The wrapper, as users call it.

func newWrapper(tb testing.TB, base string, opts ...wrapper.Option) *wrapper.Client {
	c, err := wrapper.New(brand, appID, append([]wrapper.Option{
		wrapper.WithBaseURL(base),
		wrapper.WithHTTPClient(&http.Client{Transport: transport()}),
	}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func wrapperBackfill(ctx context.Context, c *wrapper.Client, from, to time.Time, use func([]gen.ChangedCustomer)) error {
	for w, err := range c.ChangedCustomerWindows(ctx, from, to) {
		if err != nil {
			return err
		}
		use(w.Customers)
	}
	return nil
}
