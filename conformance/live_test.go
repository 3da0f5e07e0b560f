package conformance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/wrapper"
)

// The live suite runs the five operations against a real environment (Omeda's staging, or a
// sandbox) and checks every exchange against the contract. It runs only when configured:
//
//	OMEDA_BASE_URL          API root, e.g. https://ows.omedastaging.com/webservices/rest (required)
//	OMEDA_APP_ID            app id (required)
//	OMEDA_BRAND             brand abbreviation (required)
//	OMEDA_TEST_CUSTOMER_ID  a customer with phone numbers (required)
//	OMEDA_TEST_MERGED_CUSTOMER_ID         a customer merged into another (optional)
//	OMEDA_TEST_MERGE_HISTORY_CUSTOMER_ID  a customer others were merged into (optional; default the test customer)
//	OMEDA_TEST_CHANGES_FROM, OMEDA_TEST_CHANGES_TO  the change range, YYYY-MM-DD (optional; default the last 100 days)
//	OMEDA_LIVE_WRITE=1 with OMEDA_INPUT_ID  also store a test customer (it enqueues real data), look
//	                        up its transaction and wait up to OMEDA_TEST_WAIT (default 30s) for its outcome
//	OMEDA_TEST_STORE_FILE   the submission to store (optional; default a small test customer)
//	OMEDA_RECORD_DIR        save every exchange there as a cassette, credentials and card data removed (optional)
//	OMEDA_STRICT_DRIFT=1    fail on drift too (elements and codes the contract does not document);
//	                        without it, drift is printed, one line each, and the suite passes
//
// make conformance-live runs it; make test runs it against a sandbox on loopback.

type liveConfig struct {
	baseURL, appID, brand, customer string
	merged, mergeHistory            string
	from, to                        time.Time
	write                           bool
	inputID, storeFile, recordDir   string
	wait                            time.Duration
	strictDrift                     bool
}

func liveFromEnv(t *testing.T) liveConfig {
	t.Helper()
	var missing []string
	need := func(name string) string {
		v := strings.TrimSpace(os.Getenv(name))
		if v == "" {
			missing = append(missing, name)
		}
		return v
	}
	cfg := liveConfig{
		baseURL:      need("OMEDA_BASE_URL"),
		appID:        need("OMEDA_APP_ID"),
		brand:        need("OMEDA_BRAND"),
		customer:     need("OMEDA_TEST_CUSTOMER_ID"),
		merged:       os.Getenv("OMEDA_TEST_MERGED_CUSTOMER_ID"),
		mergeHistory: os.Getenv("OMEDA_TEST_MERGE_HISTORY_CUSTOMER_ID"),
		write:        os.Getenv("OMEDA_LIVE_WRITE") == "1",
		inputID:      os.Getenv("OMEDA_INPUT_ID"),
		storeFile:    os.Getenv("OMEDA_TEST_STORE_FILE"),
		recordDir:    os.Getenv("OMEDA_RECORD_DIR"),
		strictDrift:  os.Getenv("OMEDA_STRICT_DRIFT") == "1",
	}
	if len(missing) > 0 {
		t.Skipf("live conformance suite not configured: set %s (see conformance/live_test.go)", strings.Join(missing, ", "))
	}
	if cfg.write && cfg.inputID == "" {
		t.Fatalf("OMEDA_LIVE_WRITE=1 needs OMEDA_INPUT_ID")
	}
	if cfg.mergeHistory == "" {
		cfg.mergeHistory = cfg.customer
	}
	cfg.wait = 30 * time.Second
	if v := os.Getenv("OMEDA_TEST_WAIT"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "OMEDA_TEST_WAIT must be a Go duration such as 30s")
		cfg.wait = d
	}
	cfg.to = time.Now()
	cfg.from = cfg.to.AddDate(0, 0, -100)
	for name, dst := range map[string]*time.Time{"OMEDA_TEST_CHANGES_FROM": &cfg.from, "OMEDA_TEST_CHANGES_TO": &cfg.to} {
		if v := os.Getenv(name); v != "" {
			d, err := time.ParseInLocation("2006-01-02", v, wrapper.Chicago())
			require.NoError(t, err, "%s must be YYYY-MM-DD", name)
			if name == "OMEDA_TEST_CHANGES_TO" {
				d = d.Add(24*time.Hour - time.Minute)
			}
			*dst = d
		}
	}
	return cfg
}

// TestLive runs each operation through a checking transport and fails with one line per
// violation: operation, status, JSON pointer, what is wrong and the value found.
func TestLive(t *testing.T) {
	cfg := liveFromEnv(t)
	v, err := NewValidator(cfg.baseURL)
	require.NoError(t, err)
	// A connection pool of the suite's own, closed at the end, so that no idle connection
	// outlives the test.
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	tr := &Transport{Base: base, Validator: v, Secrets: []string{cfg.appID, cfg.inputID}, OnViolation: func(ex Exchange, vs []Violation) {
		t.Errorf("%s %s broke the contract:\n%s", ex.Request.Method, ex.Request.URL.EscapedPath(), Summary(vs))
	}, OnDrift: func(ex Exchange, ds []Drift) {
		// Drift is the vendor moving ahead of the contract: worth reading, not a failure, unless
		// the run asks to be strict.
		report := t.Logf
		if cfg.strictDrift {
			report = t.Errorf
		}
		report("%s %s carries what the contract does not document (drift):\n%s", ex.Request.Method, ex.Request.URL.EscapedPath(), DriftSummary(ds))
	}}
	if cfg.recordDir != "" {
		tr.Recorder = &Recorder{Dir: cfg.recordDir, BaseURL: cfg.baseURL}
	}
	opts := []wrapper.Option{
		wrapper.WithBaseURL(cfg.baseURL),
		wrapper.WithHTTPClient(&http.Client{Transport: tr}),
		wrapper.WithUserAgent("omeda-go-conformance"),
	}
	if cfg.inputID != "" {
		opts = append(opts, wrapper.WithInputID(cfg.inputID))
	}
	client, err := wrapper.New(cfg.brand, cfg.appID, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()

	// outcome logs what the API answered; only transport failures and violations fail the suite,
	// since an error answer is as much a part of the contract as a success.
	outcome := func(what string, err error) {
		t.Helper()
		var apiErr *wrapper.APIError
		switch {
		case err == nil:
			t.Logf("%s: ok", what)
		case errors.As(err, &apiErr):
			t.Logf("%s: %v", what, err)
		default:
			t.Errorf("%s: %v", what, err)
		}
	}

	phones, err := client.PhoneNumbers(ctx, cfg.customer)
	outcome("phone numbers of the test customer", err)
	if err == nil && len(phones.PhoneNumbers) == 0 {
		t.Logf("the test customer has no phone numbers; choose one that has, to check their shape")
	}
	_, err = client.MergeHistory(ctx, cfg.mergeHistory)
	outcome("merge history", err)
	if cfg.merged != "" {
		_, err = client.PhoneNumbers(ctx, cfg.merged)
		outcome("phone numbers of the merged customer", err)
		requireMerged(t, err)
		_, err = client.MergeHistory(ctx, cfg.merged)
		outcome("merge history of the merged customer", err)
		requireMerged(t, err)
	}
	_, err = client.PhoneNumbers(ctx, "9223372036854775806")
	outcome("phone numbers of a customer that does not exist", err)
	_, err = client.Transaction(ctx, 9223372036854775806)
	outcome("a transaction that does not exist", err)

	windows := 0
	for w, err := range client.ChangedCustomerWindows(ctx, cfg.from, cfg.to) {
		outcome(fmt.Sprintf("changes %s", w.Window), err)
		if err != nil {
			break
		}
		windows++
	}
	t.Logf("%d change windows between %s and %s", windows, cfg.from.Format(time.DateOnly), cfg.to.Format(time.DateOnly))

	wrong, err := wrapper.New(cfg.brand, "omeda-go-conformance-not-an-app-id", opts...)
	require.NoError(t, err)
	_, err = wrong.PhoneNumbers(ctx, cfg.customer)
	outcome("phone numbers with a wrong app id", err)

	if cfg.write {
		payload := []byte(fmt.Sprintf(`{"FirstName":"Conformance","LastName":"omeda-go","Emails":[{"EmailAddress":"omeda-go-conformance+%d@example.com"}],"Phones":[{"PhoneContactType":230,"Number":"312-555-0100"}]}`, time.Now().Unix()))
		if cfg.storeFile != "" {
			payload, err = os.ReadFile(cfg.storeFile)
			require.NoError(t, err)
		}
		receipt, err := client.StoreCustomerAndOrderJSON(ctx, payload)
		outcome("store customer and order", err)
		if err == nil {
			id := receipt.ResponseInfo[0].TransactionID
			t.Logf("queued as transaction %d", id)
			st, err := client.Transaction(ctx, id)
			outcome(fmt.Sprintf("transaction %d", id), err)
			if err == nil {
				state, description, _ := wrapper.ClassifyTransactionStatus(st.Status)
				t.Logf("transaction %d: status %d %s (%s)", id, st.Status, description, state)
			}
			done, err := client.WaitForReceipt(ctx, receipt, wrapper.WithWaitTimeout(cfg.wait))
			outcome(fmt.Sprintf("waiting up to %v for transaction %d", cfg.wait, id), err)
			if done != nil {
				t.Logf("%s", done)
			}
		}
	} else {
		t.Logf("store customer and order skipped: set OMEDA_LIVE_WRITE=1 and OMEDA_INPUT_ID to enqueue a test customer")
	}

	if tr.Exchanges() == 0 {
		t.Fatal("no exchange was checked")
	}
	t.Logf("%d exchanges checked, %d violations, %d drift", tr.Exchanges(), len(tr.Violations()), len(tr.Drift()))
}

func requireMerged(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, wrapper.ErrMerged) {
		t.Errorf("OMEDA_TEST_MERGED_CUSTOMER_ID: expected a merged-customer answer, got %v", err)
	}
}
