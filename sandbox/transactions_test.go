package sandbox

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
)

// manualClock is a clock the test moves: processing is computed from it, never from sleeps.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (m *manualClock) now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.t
}

func (m *manualClock) advance(d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.t = m.t.Add(d)
}

func transactionPath(id int64) string {
	return "/brand/FOO/transaction/" + strconv.FormatInt(id, 10) + "/*"
}

// lookUpTransaction asks for a transaction; the answer is validated against the spec.
func lookUpTransaction(t *testing.T, c *client, id int64) gen.TransactionStatus {
	t.Helper()
	ex := c.do(t, http.MethodGet, transactionPath(id), "", nil)
	require.Equal(t, http.StatusOK, ex.status, "body: %s", ex.body)
	var st gen.TransactionStatus
	require.NoError(t, json.Unmarshal(ex.body, &st))
	require.NotNil(t, st.SubmissionID)
	return st
}

const todayWindow = "/brand/FOO/customer/change/startdate/07152026/enddate/07152026_1030/*"

// emptyWindow asserts that the change window of today lists nobody.
func emptyWindow(t *testing.T, c *client, msgAndArgs ...any) {
	t.Helper()
	ex := c.do(t, http.MethodGet, todayWindow, "", nil)
	assert.Equal(t, http.StatusNotFound, ex.status, msgAndArgs...)
	assert.Equal(t, []string{"No customers changed within that date range."}, ex.messages(t), msgAndArgs...)
}

func TestTransactionProcessingOverTime(t *testing.T) {
	t.Parallel()
	clk := &manualClock{t: testNow}
	s := StartTest(t, WithClock(clk.now)) // the default delay, one second
	c := newClient(t, s)

	r := receipt(t, c.do(t, http.MethodPost, storePath,
		`{"ClientCustomerId":"crm-7","FirstName":"Ada","Emails":[{"EmailAddress":"ada@example.com"}],"Phones":[{"Number":"312-555-0199"}]}`, nil))
	id := r.ResponseInfo[0].TransactionID
	assert.Equal(t, s.URL+transactionPath(id), r.ResponseInfo[0].URL)

	// Every fifth of the delay, one step; the customer is nowhere until the last.
	for _, want := range []int{0, 7, 10, 28, 30} {
		st := lookUpTransaction(t, c, id)
		assert.Equal(t, want, st.Status)
		assert.Equal(t, id, st.TransactionID)
		assert.Nil(t, st.OmedaCustomerID, "status %d", want)
		assert.Empty(t, st.Errors)
		require.NotNil(t, st.ClientCustomerID)
		assert.Equal(t, "crm-7", st.ClientCustomerID.String())
		assert.False(t, st.ClientCustomerID.IsNumber())
		emptyWindow(t, c, "status %d", want)
		clk.advance(200 * time.Millisecond)
	}

	st := lookUpTransaction(t, c, id)
	assert.Equal(t, 100, st.Status)
	require.NotNil(t, st.OmedaCustomerID)
	customer := *st.OmedaCustomerID

	got := changes(t, c.do(t, http.MethodGet, todayWindow, "", nil)).Customers
	require.Len(t, got, 1)
	assert.Equal(t, customer, got[0].ID)
	assert.Equal(t, "2026-07-15 10:30:01.000", got[0].DateChanged, "changed when processed, not when stored")
	ex := c.do(t, http.MethodGet, "/brand/FOO/customer/"+strconv.FormatInt(customer, 10)+"/phone/*", "", nil)
	assert.Equal(t, http.StatusOK, ex.status)

	// Stays processed.
	clk.advance(time.Hour)
	assert.Equal(t, 100, lookUpTransaction(t, c, id).Status)

	// The same ClientCustomerId again: an existing customer, 31 then 101, the same customer.
	r = receipt(t, c.do(t, http.MethodPost, storePath, `{"ClientCustomerId":"crm-7","Phones":[{"Number":"312-555-0100"}]}`, nil))
	second := r.ResponseInfo[0].TransactionID
	assert.Equal(t, id+1, second)
	clk.advance(800 * time.Millisecond)
	assert.Equal(t, 31, lookUpTransaction(t, c, second).Status)
	clk.advance(200 * time.Millisecond)
	st = lookUpTransaction(t, c, second)
	assert.Equal(t, 101, st.Status)
	assert.Equal(t, customer, *st.OmedaCustomerID)
}

func TestTransactionExistingCustomerByOmedaID(t *testing.T) {
	t.Parallel()
	clk := &manualClock{t: testNow}
	s := StartTest(t, WithClock(clk.now), WithProcessAfter(10*time.Second))
	c := newClient(t, s)
	id := receipt(t, c.do(t, http.MethodPost, storePath, `{"OmedaCustomerId":12345,"Phones":[{"Number":"312-555-0123"}]}`, nil)).ResponseInfo[0].TransactionID
	clk.advance(9 * time.Second)
	assert.Equal(t, 31, lookUpTransaction(t, c, id).Status)
	ex := c.do(t, http.MethodGet, "/brand/FOO/customer/12345/phone/*", "", nil)
	var phones gen.CustomerPhones
	require.NoError(t, json.Unmarshal(ex.body, &phones))
	assert.Len(t, phones.PhoneNumbers, 2, "not processed yet")

	clk.advance(time.Second)
	st := lookUpTransaction(t, c, id)
	assert.Equal(t, 101, st.Status)
	assert.Equal(t, int64(12345), *st.OmedaCustomerID)
	ex = c.do(t, http.MethodGet, "/brand/FOO/customer/12345/phone/*", "", nil)
	require.NoError(t, json.Unmarshal(ex.body, &phones))
	assert.Len(t, phones.PhoneNumbers, 3)
}

func TestTransactionRejectedByProcessing(t *testing.T) {
	t.Parallel()
	clk := &manualClock{t: testNow}
	s := StartTest(t, WithClock(clk.now))
	c := newClient(t, s)
	id := receipt(t, c.do(t, http.MethodPost, storePath,
		`{"FirstName":"Eve","Emails":[{"EmailAddress":"eve@reject.invalid"},{"EmailAddress":"eve@example.com"}]}`, nil)).ResponseInfo[0].TransactionID

	for _, want := range []int{0, 7, 9, 9, 9, 9} {
		st := lookUpTransaction(t, c, id)
		assert.Equal(t, want, st.Status)
		assert.Nil(t, st.OmedaCustomerID)
		assert.Nil(t, st.ClientCustomerID)
		if want == 9 {
			assert.Equal(t, []gen.TransactionError{{Error: "invalid email: eve@reject.invalid"}}, st.Errors)
		} else {
			assert.Empty(t, st.Errors)
		}
		clk.advance(200 * time.Millisecond)
	}
	emptyWindow(t, c, "a rejected submission changes no customer")
}

func TestTransactionProcessedAtOnce(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)), WithProcessAfter(0))
	c := newClient(t, s)
	id := receipt(t, c.do(t, http.MethodPost, storePath, `{"FirstName":"Ann"}`, nil)).ResponseInfo[0].TransactionID
	st := lookUpTransaction(t, c, id)
	assert.Equal(t, 100, st.Status)
	assert.NotNil(t, st.OmedaCustomerID)
	assert.Len(t, changes(t, c.do(t, http.MethodGet, todayWindow, "", nil)).Customers, 1)
}

func TestTransactionNotFound(t *testing.T) {
	t.Parallel()
	s := StartTest(t, WithClock(fixedClock(testNow)))
	c := newClient(t, s)
	for path, msg := range map[string]string{
		transactionPath(firstTransactionID):  "No status found for transaction 8907512.",
		transactionPath(55973543453):         "No status found for transaction 55973543453.",
		"/brand/FOO/transaction/abc/*":       `No status found for transaction abc.`,
		"/brand/FOO/transaction/0/*":         `No status found for transaction 0.`,
		"/brand/FOO/transaction/-8907512/*":  `No status found for transaction -8907512.`,
		"/brand/FOO/transaction/8907512.0/*": `No status found for transaction 8907512.0.`,
	} {
		ex := c.do(t, http.MethodGet, path, "", nil)
		assert.Equal(t, http.StatusNotFound, ex.status, path)
		assert.Equal(t, []string{msg}, ex.messages(t), path)
	}
	ex := c.do(t, http.MethodGet, transactionPath(1), "", map[string]string{"x-omeda-appid": ""})
	assert.Equal(t, http.StatusForbidden, ex.status)

	// Reset forgets the transactions stored.
	id := receipt(t, c.do(t, http.MethodPost, storePath, `{"FirstName":"Ann"}`, nil)).ResponseInfo[0].TransactionID
	assert.Equal(t, 0, lookUpTransaction(t, c, id).Status)
	s.Reset()
	assert.Equal(t, http.StatusNotFound, c.do(t, http.MethodGet, transactionPath(id), "", nil).status)
}

func TestProcessAfterRefusesNegative(t *testing.T) {
	t.Parallel()
	_, err := Start("127.0.0.1:0", WithProcessAfter(-time.Second))
	assert.ErrorContains(t, err, "negative processing delay")
}
