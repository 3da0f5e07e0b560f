package wrapper

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/sandbox"
)

// sharedClock is the one clock of a sandbox and a client: the client's pauses move it, so a
// wait of minutes runs in no time and nothing depends on the wall clock.
type sharedClock struct {
	mu     sync.Mutex
	t      time.Time
	pauses []time.Duration
}

func (s *sharedClock) now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.t
}

func (s *sharedClock) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.t = s.t.Add(d)
	s.pauses = append(s.pauses, d)
	return ctx.Err()
}

func sandboxWithClock(t *testing.T, opts ...sandbox.Option) (*Client, *sharedClock) {
	t.Helper()
	clk := &sharedClock{t: time.Date(2026, 7, 15, 10, 30, 0, 0, chicagoZone)}
	sb := sandbox.StartTest(t, append([]sandbox.Option{sandbox.WithClock(clk.now), sandbox.WithPopulation(0)}, opts...)...)
	c, err := New("FOO", testAppID, WithBaseURL(sb.URL), WithInputID(testInputID))
	require.NoError(t, err)
	c.now, c.sleep = clk.now, clk.sleep
	c.jitter = func() float64 { return 0.5 }
	return c, clk
}

func TestWaitForReceiptAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	c, clk := sandboxWithClock(t) // processing takes the default second
	receipt, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann","Phones":[{"Number":"312-555-0100"}]}`))
	require.NoError(t, err)

	st, err := c.Transaction(t.Context(), receipt.ResponseInfo[0].TransactionID)
	require.NoError(t, err)
	assert.Equal(t, 0, st.Status, "queued, not processed")

	out, err := c.WaitForReceipt(t.Context(), receipt)
	require.NoError(t, err)
	assert.Equal(t, TransactionProcessed, out.State)
	assert.Equal(t, 100, out.Status)
	assert.Equal(t, "Moved to ERD – Complete New Customer", out.Description)
	require.NotZero(t, out.OmedaCustomerID)
	assert.Empty(t, out.Errors)
	// Pauses of 375 ms then 750 ms (jitter 0.5): lookups at 0, 0.375 s and 1.125 s.
	assert.Equal(t, []time.Duration{375 * time.Millisecond, 750 * time.Millisecond}, clk.pauses)
	assert.Equal(t, 3, out.Lookups)

	// Now, and only now, the customer is there.
	phones, err := c.PhoneNumbers(t.Context(), itoa(int(out.OmedaCustomerID)))
	require.NoError(t, err)
	assert.Equal(t, "3125550100", phones.PhoneNumbers[0].PhoneNumber)
}

func TestWaitForReceiptFailsWithTheTransactionsErrors(t *testing.T) {
	t.Parallel()
	c, _ := sandboxWithClock(t)
	receipt, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Eve","Emails":[{"EmailAddress":"eve@reject.invalid"}]}`))
	require.NoError(t, err)
	out, err := c.WaitForReceipt(t.Context(), receipt)
	require.NoError(t, err, "a failed transaction is an outcome, not an error of the call")
	assert.Equal(t, TransactionFailed, out.State)
	assert.Equal(t, 9, out.Status)
	assert.Equal(t, []string{"invalid email: eve@reject.invalid"}, out.Errors)
	assert.Zero(t, out.OmedaCustomerID)
}

func TestWaitForTransactionRunsOutOfTimeAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	c, clk := sandboxWithClock(t, sandbox.WithProcessAfter(time.Hour))
	receipt, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"FirstName":"Ann"}`))
	require.NoError(t, err)
	out, err := c.WaitForTransaction(t.Context(), receipt.ResponseInfo[0].TransactionID, WithWaitTimeout(10*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, TransactionPending, out.State)
	assert.Equal(t, 0, out.Status, "a fifth of the hour, the next step, is 12 minutes away")
	var total time.Duration
	for _, p := range clk.pauses {
		total += p
		assert.LessOrEqual(t, p, 30*time.Second, "capped")
	}
	assert.Equal(t, 10*time.Minute, total, "the wait stops when its time is spent")

	_, err = c.WaitForTransaction(t.Context(), 55973543453, WithNotFoundGrace(0))
	assert.ErrorIs(t, err, ErrNotFound)
	assert.Contains(t, err.Error(), "No status found for transaction 55973543453.")
}

func TestWaitForReceiptOfRunProcessorNeedsNoLookup(t *testing.T) {
	t.Parallel()
	c, clk := sandboxWithClock(t, sandbox.WithProcessAfter(time.Hour))
	receipt, err := c.StoreCustomerAndOrderJSON(t.Context(), []byte(`{"RunProcessor":1,"FirstName":"Bo","Products":[{"OmedaProductId":2,"Receive":1}]}`))
	require.NoError(t, err)
	require.NotNil(t, receipt.ResponseInfo[0].CustomerID)
	out, err := c.WaitForReceipt(t.Context(), receipt)
	require.NoError(t, err)
	assert.Equal(t, TransactionProcessed, out.State)
	assert.Equal(t, *receipt.ResponseInfo[0].CustomerID, out.OmedaCustomerID)
	assert.Equal(t, *receipt.ResponseInfo[0].EncryptedCustomerID, out.EncryptedCustomerID)
	assert.Zero(t, out.Lookups, "no lookup")
	assert.Nil(t, out.Last)
	assert.Empty(t, clk.pauses)
	assert.Equal(t, "transaction 8907512 processed: processed at once (RunProcessor): the receipt names the customer, customer "+
		itoa(int(out.OmedaCustomerID)), out.String())

	// Omeda's own record agrees.
	st, err := c.Transaction(t.Context(), receipt.ResponseInfo[0].TransactionID)
	require.NoError(t, err)
	assert.Equal(t, 100, st.Status)
	assert.Equal(t, out.OmedaCustomerID, *st.OmedaCustomerID)
}
