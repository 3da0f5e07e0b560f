package wrapper

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
)

// collect drains a stream into ids, stopping at the first error.
func collect(seq func(func(gen.ChangedCustomer, error) bool)) ([]int64, error) {
	var ids []int64
	for c, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, c.ID)
	}
	return ids, nil
}

func TestChangedCustomerStreamDeduplicatesAcrossWindows(t *testing.T) {
	t.Parallel()
	customers := []gen.ChangedCustomer{
		customer(1, "2024-01-05 10:00:00.000"),
		customer(3, "2024-03-31 00:00:00.000"), // in the minute the first two windows share
		customer(5, "2024-06-01 08:00:00.000"),
	}
	from, to := chicago(2024, 1, 1, 0, 0), chicago(2024, 7, 1, 0, 0)

	f := setup(t)
	srv := &changeServer{customers: customers}
	f.handle(changesPattern, srv.ServeHTTP)
	var done []Window
	ids, err := collect(f.client.ChangedCustomerStream(t.Context(), from, to, WithWindowDone(func(w Window) { done = append(done, w) })))
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 3, 5}, ids, "each customer once, at its first occurrence")
	assert.Len(t, srv.asked, 3)
	assert.Len(t, done, 3, "every window reported once it was read whole")

	f2 := setup(t)
	f2.handle(changesPattern, (&changeServer{customers: customers}).ServeHTTP)
	ids, err = collect(f2.client.ChangedCustomerStream(t.Context(), from, to, WithDeduplication(false)))
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 3, 3, 5}, ids, "without de-duplication the shared minute is answered twice")
}

func TestChangedCustomerStreamEmptyWindowsAndBadRange(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(changesPattern, (&changeServer{}).ServeHTTP)
	ids, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 12, 1, 0, 0)))
	require.NoError(t, err)
	assert.Empty(t, ids)
	assert.EqualValues(t, 4, f.requests.Load())

	_, err = collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 2, 1, 0, 0), chicago(2024, 1, 1, 0, 0)))
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.EqualValues(t, 4, f.requests.Load(), "a reversed range sends nothing")
}

// TestChangedCustomerStreamYieldsBeforeTheAnswerEnds: the server holds the rest of the answer
// back until the caller has received the first customer, which only a decoder reading from the
// connection (rather than from a whole body) can deliver.
func TestChangedCustomerStreamYieldsBeforeTheAnswerEnds(t *testing.T) {
	t.Parallel()
	got := make(chan struct{})
	f := setup(t)
	f.handle(changesPattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `{"SubmissionId":"s","Customers":[`+customerJSON(1)+`,`)
		w.(http.Flusher).Flush()
		select {
		case <-got:
		case <-r.Context().Done():
			return
		}
		_, _ = fmt.Fprint(w, customerJSON(2)+`]}`)
	})
	var ids []int64
	for c, err := range f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)) {
		require.NoError(t, err)
		ids = append(ids, c.ID)
		if c.ID == 1 {
			close(got)
		}
	}
	assert.Equal(t, []int64{1, 2}, ids)
}

func customerJSON(id int64) string {
	return fmt.Sprintf(`{"Id":%d,"Url":"https://ows.omeda.com/webservices/rest/brand/FOO/customer/%d/*","DateChanged":"2024-01-01 10:00:00.000","CreatedDate":"2020-01-01 00:00:00.000","CustomerStatusId":1}`, id, id)
}

func TestChangedCustomerStreamRefusesMalformedCustomers(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, body, msg string }{
		{"a null entry", `{"Customers":[` + customerJSON(1) + `,null]}`, "customer 2 of the list is null"},
		{"no Id", `{"Customers":[{"Url":"x","DateChanged":"2024-01-01 10:00:00.000"}]}`, "customer 1 of the list has no Id"},
		{"a null Id", `{"Customers":[{"Id":null}]}`, "has no Id"},
		{"Id zero", `{"Customers":[{"Id":0}]}`, "has no Id"},
		{"data after the answer", `{"Customers":[]} {"Customers":[]}`, "data after the answer's JSON value"},
		{"Customers null", `{"Customers":null}`, "the answer has no Customers"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := setup(t, WithRetryPolicy(NoRetries()))
			f.handle(changesPattern, status(200, tc.body))
			_, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
			require.ErrorIs(t, err, ErrMalformedResponse)
			assert.Contains(t, err.Error(), tc.msg)
			// The window-at-a-time calls share the decoder, and the verdict.
			_, err = f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
			require.ErrorIs(t, err, ErrMalformedResponse)
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestChangedCustomerStreamAcceptsWhiteSpaceAfterTheAnswerAndUnknownMembers(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle(changesPattern, status(200, `{"Extra":{"a":[1,{"b":[]}]},"Customers":[`+customerJSON(4)+`],"Later":"x"}`+"\r\n \n"))
	ids, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
	require.NoError(t, err)
	assert.Equal(t, []int64{4}, ids)
}

// cutAfter answers a window whose body claims more than it carries: the connection ends after
// the given customers.
func cutAfter(ids ...int64) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		var b strings.Builder
		b.WriteString(`{"Customers":[`)
		for i, id := range ids {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(customerJSON(id))
		}
		if len(ids) > 0 {
			b.WriteByte(',')
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(b.Len()+10000))
		_, _ = fmt.Fprint(w, b.String())
	}
}

func TestChangedCustomerStreamRetriesAWindowOnlyBeforeItsFirstCustomer(t *testing.T) {
	t.Parallel()
	t.Run("before", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.handle(changesPattern, sequence(
			status(503, `{"Errors":[{"Error":"busy"}]}`),
			cutAfter(), // the connection fails before any customer
			status(200, `{"Customers":[`+customerJSON(1)+`,`+customerJSON(2)+`]}`),
		))
		ids, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
		require.NoError(t, err)
		assert.Equal(t, []int64{1, 2}, ids, "nothing repeated")
		assert.EqualValues(t, 3, f.requests.Load())
	})
	t.Run("after", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.handle(changesPattern, sequence(cutAfter(1, 2), status(200, `{"Customers":[`+customerJSON(1)+`]}`)))
		ids, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
		require.Error(t, err)
		assert.Equal(t, []int64{1, 2}, ids)
		assert.EqualValues(t, 1, f.requests.Load(), "a window whose customers reached the caller is not asked again")
		assert.Contains(t, err.Error(), "failed after 2 of its customers were delivered, so it was not retried")
		assertNoSecrets(t, err.Error())
	})
	t.Run("windows buffered whole are retried", func(t *testing.T) {
		t.Parallel()
		f := setup(t)
		f.handle(changesPattern, sequence(cutAfter(1, 2), status(200, `{"Customers":[`+customerJSON(1)+`,`+customerJSON(2)+`]}`)))
		got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
		require.NoError(t, err)
		assert.Len(t, got.Customers, 2, "the failed attempt's customers are dropped")
		assert.EqualValues(t, 2, f.requests.Load())
	})
}

func TestChangedCustomerStreamStopsWhenTheCallerDoes(t *testing.T) {
	t.Parallel()
	f := setup(t)
	srv := &changeServer{customers: []gen.ChangedCustomer{
		customer(1, "2024-01-05 10:00:00.000"), customer(2, "2024-01-06 10:00:00.000"), customer(3, "2024-06-01 08:00:00.000"),
	}}
	f.handle(changesPattern, srv.ServeHTTP)
	n := 0
	for _, err := range f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 7, 1, 0, 0)) {
		require.NoError(t, err)
		n++
		break
	}
	assert.Equal(t, 1, n)
	assert.EqualValues(t, 1, f.requests.Load(), "no window after the one the caller left")
}

// slowBody answers a window customer by customer with a pause before each.
func slowBody(n int, pause time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `{"Customers":[`)
		for i := range n {
			w.(http.Flusher).Flush()
			select {
			case <-time.After(pause):
			case <-r.Context().Done():
				return
			}
			if i > 0 {
				_, _ = fmt.Fprint(w, ",")
			}
			_, _ = fmt.Fprint(w, customerJSON(int64(i+1)))
		}
		_, _ = fmt.Fprint(w, `]}`)
	}
}

// trickle answers a window one customer every pause until longer than total has passed since
// the request arrived, by the server's own clock, and then ends it; sent is how many customers
// it wrote. The answer's length is what the server makes sure of, not what a count of pauses
// adds up to on a machine whose timers run late.
func trickle(total, pause time.Duration, sent *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sent.Store(0)
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprint(w, `{"Customers":[`)
		for i := int64(1); ; i++ {
			if i > 1 {
				_, _ = fmt.Fprint(w, ",")
			}
			_, _ = fmt.Fprint(w, customerJSON(i))
			sent.Add(1)
			w.(http.Flusher).Flush()
			if time.Since(start) > total {
				break
			}
			select {
			case <-time.After(pause):
			case <-r.Context().Done():
				return
			}
		}
		_, _ = fmt.Fprint(w, `]}`)
	}
}

// The timeout bounds stalls, not the transfer: an answer that takes longer than the timeout in
// all but never pauses for as long arrives whole. The timeouts that must not fire are far above
// the pauses, so that a loaded machine's late timer or descheduled goroutine does not make a
// pause look like a stall; the ones that must fire end a hang.
func TestChangedCustomerStreamTimeoutIsAnIdleTimeout(t *testing.T) {
	t.Parallel()
	t.Run("a slow answer that never stalls", func(t *testing.T) {
		t.Parallel()
		const timeout = time.Second
		f := setup(t, WithTimeout(timeout))
		var sent atomic.Int32
		// Longer than the timeout in all, in pauses of a fortieth of it.
		f.handle(changesPattern, trickle(timeout+timeout/4, timeout/40, &sent))
		ids, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
		require.NoError(t, err)
		assert.Len(t, ids, int(sent.Load()))
		// The window-at-a-time call reads with the same idle timeout.
		got, err := f.client.ChangedCustomers(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0))
		require.NoError(t, err)
		assert.Len(t, got.Customers, int(sent.Load()))
	})
	t.Run("a stall inside the body", func(t *testing.T) {
		t.Parallel()
		// Attempts are counted at the client's transport: one that times out while it
		// connects never reaches the server, and is retried all the same.
		counted, attempts := countAttempts(t)
		f := setup(t, counted, WithTimeout(50*time.Millisecond))
		f.handle(changesPattern, slowBody(3, time.Hour))
		_, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "idle timeout")
		assert.EqualValues(t, 3, attempts.Load(), "nothing was yielded, so the window was retried")
		assert.LessOrEqual(t, f.requests.Load(), int32(3))
	})
	t.Run("a stall before the headers", func(t *testing.T) {
		t.Parallel()
		f := setup(t, WithTimeout(50*time.Millisecond), WithRetryPolicy(NoRetries()))
		f.handle(changesPattern, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		_, err := collect(f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)))
		require.ErrorIs(t, err, context.DeadlineExceeded)
		f.server.CloseClientConnections()
	})
	t.Run("a slow consumer is not a stall", func(t *testing.T) {
		t.Parallel()
		// The timeout must not fire before the answer arrives, so it is not tight; the
		// consumer holds each customer for longer than it, and a timer never fires early,
		// so a watch left armed while the consumer works would end the stream.
		const timeout = 500 * time.Millisecond
		f := setup(t, WithTimeout(timeout))
		f.handle(changesPattern, status(200, `{"Customers":[`+customerJSON(1)+`,`+customerJSON(2)+`]}`))
		var ids []int64
		for c, err := range f.client.ChangedCustomerStream(t.Context(), chicago(2024, 1, 1, 0, 0), chicago(2024, 1, 2, 0, 0)) {
			require.NoError(t, err)
			ids = append(ids, c.ID)
			time.Sleep(timeout + 100*time.Millisecond)
		}
		assert.Equal(t, []int64{1, 2}, ids)
	})
}
