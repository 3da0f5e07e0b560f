package wrapper

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	omeda "github.com/omeda-go/omeda-go"
)

func TestNewRefusesBadOptions(t *testing.T) {
	t.Parallel()
	staging := WithEnvironment(Staging)
	cases := []struct {
		name  string
		brand string
		appID string
		opts  []Option
		want  string
	}{
		{"empty brand", "", testAppID, []Option{staging}, "brand abbreviation is empty"},
		{"brand with a slash", "FOO/../BAR", testAppID, []Option{staging}, "brand abbreviation"},
		{"brand with a space", "FOO BAR", testAppID, []Option{staging}, "brand abbreviation"},
		{"empty app id", "FOO", "", []Option{staging}, "app id is empty"},
		{"app id with a newline", "FOO", testAppID + "\n", []Option{staging}, "app id has leading or trailing white space"},
		{"app id with a control character", "FOO", "AB\x00CD", []Option{staging}, "app id contains a character"},
		{"no destination", "FOO", testAppID, nil, "no destination"},
		{"unknown environment", "FOO", testAppID, []Option{WithEnvironment("https://example.com")}, "unknown environment"},
		{"base URL that does not parse", "FOO", testAppID, []Option{WithBaseURL("http://[::1")}, "base URL does not parse"},
		{"relative base URL", "FOO", testAppID, []Option{WithBaseURL("/webservices/rest")}, "must be absolute"},
		{"base URL with credentials", "FOO", testAppID, []Option{WithBaseURL("https://user:" + testAppID + "@example.com/")}, "must not carry credentials"},
		{"base URL with a bare '?'", "FOO", testAppID, []Option{WithBaseURL("https://example.com/webservices/rest?")}, "must not carry a query"},
		{"base URL with a query", "FOO", testAppID, []Option{WithBaseURL("https://example.com/webservices/rest?a=1")}, "must not carry a query"},
		{"base URL with a bare '#'", "FOO", testAppID, []Option{WithBaseURL("https://example.com/webservices/rest#")}, "must not carry a fragment"},
		{"user agent with NUL", "FOO", testAppID, []Option{staging, WithUserAgent("acme\x00sync")}, "user agent must be printable"},
		{"user agent with DEL", "FOO", testAppID, []Option{staging, WithUserAgent("acme\x7fsync")}, "user agent must be printable"},
		{"user agent with ESC", "FOO", testAppID, []Option{staging, WithUserAgent("acme\x1b[2J")}, "user agent must be printable"},
		{"empty input id", "FOO", testAppID, []Option{staging, WithInputID("")}, "input id is empty"},
		{"negative timeout", "FOO", testAppID, []Option{staging, WithTimeout(-time.Second)}, "negative"},
		{"retry policy without attempts", "FOO", testAppID, []Option{staging, WithRetryPolicy(RetryPolicy{})}, "MaxAttempts"},
		{"nil HTTP client", "FOO", testAppID, []Option{staging, WithHTTPClient(nil)}, "HTTP client is nil"},
		{"too many merge hops", "FOO", testAppID, []Option{staging, WithFollowMerges(99)}, "merge hops"},
		{"no window concurrency", "FOO", testAppID, []Option{staging, WithWindowConcurrency(0)}, "window concurrency"},
		{"too many concurrent calls", "FOO", testAppID, []Option{staging, WithConcurrentCalls(65)}, "concurrent calls"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tc.brand, tc.appID, tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.want)
			assertNoSecrets(t, err.Error())
		})
	}
}

func TestNewEnvironments(t *testing.T) {
	t.Parallel()
	for env, want := range map[Environment]string{
		Production: "https://ows.omeda.com/webservices/rest",
		Staging:    "https://ows.omedastaging.com/webservices/rest",
	} {
		c, err := New("FOO", testAppID, WithEnvironment(env))
		require.NoError(t, err)
		assert.Equal(t, want, c.BaseURL())
		assert.Equal(t, "FOO", c.Brand())
	}
	c, err := New("FOO", testAppID, WithBaseURL("http://127.0.0.1:8080/webservices/rest/"))
	require.NoError(t, err)
	assert.Equal(t, "http://127.0.0.1:8080/webservices/rest", c.BaseURL())
}

// The environments and the id patterns are the contract's own.
func TestWrapperAgreesWithTheContract(t *testing.T) {
	t.Parallel()
	doc, err := omeda.LoadSpec()
	require.NoError(t, err)
	require.Len(t, doc.Servers, 2)
	assert.Equal(t, string(Production), doc.Servers[0].URL)
	assert.Equal(t, string(Staging), doc.Servers[1].URL)
	for _, op := range []operation{opPhones, opChanges, opMerges, opStore} {
		found := false
		for _, item := range doc.Paths.Map() {
			for _, o := range item.Operations() {
				if o.OperationID != op.id {
					continue
				}
				found = true
				var documented []int
				for code := range o.Responses.Map() {
					if strings.HasSuffix(code, "XX") {
						continue // a range, such as 5XX: every status in it is an error to the wrapper
					}
					documented = append(documented, atoi(t, code))
				}
				assert.ElementsMatch(t, op.documented, documented, op.id)
			}
		}
		assert.True(t, found, op.id)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	for _, r := range s {
		require.True(t, r >= '0' && r <= '9', s)
		n = n*10 + int(r-'0')
	}
	return n
}

func TestPhoneNumbersSendsCredentialsAndPath(t *testing.T) {
	t.Parallel()
	f := setup(t, WithUserAgent("acme-sync/2.1"))
	f.handle(phonesPath, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, basePath+"/brand/FOO/customer/12345/phone/*", r.RequestURI, "through the base path")
		assert.Equal(t, testAppID, r.Header.Get("x-omeda-appid"))
		assert.Empty(t, r.Header.Get("x-omeda-inputid"), "lookups do not send the input id")
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "acme-sync/2.1 omeda-go/"+Version()+" "), r.Header.Get("User-Agent"))
		respond(w, 200, phonesBody)
	})
	phones, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	require.Len(t, phones.PhoneNumbers, 2)
	p := phones.PhoneNumbers[0]
	assert.Equal(t, int64(472517), p.ID)
	assert.EqualValues(t, 200, p.PhoneContactType)
	assert.Equal(t, "8475648900", p.PhoneNumber)
	assert.Equal(t, "999", *p.Extension)
	assert.Nil(t, phones.PhoneNumbers[1].Extension)
	assert.Equal(t, "24B9BF6F-0677-462B-942A-D87EEBD10F77", *phones.SubmissionID)
	changed, err := ParseTime(p.ChangedDate)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2015, 3, 8, 21, 23, 34, 0, chicagoZone), changed)
}

func TestCustomerIDsAreCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	f := setup(t)
	f.handle("GET /brand/FOO/customer/{id}/phone/*", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "9130C2719701F5S", r.PathValue("id"))
		respond(w, 200, phonesBody)
	})
	_, err := f.client.PhoneNumbers(t.Context(), "9130C2719701F5S")
	require.NoError(t, err, "an encrypted id is a customer id")
	require.EqualValues(t, 1, f.requests.Load())

	for _, id := range []string{"", "0", "012", "abc", "..", "../../x", "12/34", "12%2F34", "12 34", "12?x=1", "12#x", "12345678901234567890", "9999999999999999999", "9130C2719701F5S1234"} {
		_, err := f.client.PhoneNumbers(t.Context(), id)
		assert.ErrorIs(t, err, ErrInvalidInput, "%q", id)
		_, err = f.client.MergeHistory(t.Context(), id)
		assert.ErrorIs(t, err, ErrInvalidInput, "%q", id)
	}
	assert.EqualValues(t, 1, f.requests.Load(), "nothing was sent for ids that cannot be valid")
}

func TestCallerHTTPClientIsNotChangedAndRedirectsAreRefused(t *testing.T) {
	t.Parallel()
	elsewhere := setup(t)
	elsewhere.handle(phonesPath, status(200, phonesBody))

	hc := &http.Client{}
	f := setup(t, WithHTTPClient(hc))
	f.handle(phonesPath, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.server.URL+basePath+"/brand/FOO/customer/12345/phone/*", http.StatusFound)
	})
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusFound, apiErr.StatusCode)
	assert.ErrorIs(t, err, ErrUnexpectedStatus)
	assert.Zero(t, elsewhere.requests.Load(), "the redirect was not followed, so the app id stayed home")
	assert.Nil(t, hc.CheckRedirect, "the caller's client is not modified")
	assert.False(t, errors.Is(err, ErrNotFound))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestConcurrentCallsSizeThePool(t *testing.T) {
	t.Parallel()
	c, err := New("FOO", testAppID, WithEnvironment(Staging), WithConcurrentCalls(32))
	require.NoError(t, err)
	tr, ok := c.http.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 32, tr.MaxIdleConnsPerHost, "32 calls at once keep 32 connections")
}

// TestVersionIsTheContractsRelease: the User-Agent carries the release's version, which is the
// embedded contract's info.version (CHANGELOG.md: vX.Y.Z is tagged on the commit whose
// openapi.yaml is X.Y.Z), read here on a path of its own.
func TestVersionIsTheContractsRelease(t *testing.T) {
	t.Parallel()
	doc, err := omeda.LoadSpec()
	require.NoError(t, err)
	assert.Regexp(t, `^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$`, doc.Info.Version)
	assert.Equal(t, doc.Info.Version, Version())

	f := setup(t)
	f.handle(phonesPath, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "omeda-go/"+doc.Info.Version+" (+https://github.com/omeda-go/omeda-go)", r.Header.Get("User-Agent"))
		respond(w, 200, phonesBody)
	})
	_, err = f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
}
