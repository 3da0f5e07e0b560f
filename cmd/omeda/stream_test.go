package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/testlog"
	"github.com/omeda-go/omeda-go/wrapper"
)

const changesRoute = "GET /brand/FOO/customer/change/startdate/{start}/enddate/{end}/*"

func changedJSON(id int64, changed string) string {
	return fmt.Sprintf(`{"Id":%d,"Url":"u%d","DateChanged":"%s","CreatedDate":"2024-01-01 00:00:00.000","CustomerStatusId":1}`, id, id, changed)
}

// twoWindows answers the first two windows of 2024 with customer 1 in both, 404 otherwise.
func twoWindows(w http.ResponseWriter, r *http.Request) {
	switch r.PathValue("start") {
	case "01012024_0000":
		reply(200, `{"Customers":[`+changedJSON(1, "2024-03-31 00:00:00.000")+`,`+changedJSON(2, "2024-02-01 00:00:00.000")+`],"SubmissionId":"a"}`)(w, r)
	case "03312024_0000":
		reply(200, `{"Customers":[`+changedJSON(1, "2024-03-31 00:00:00.000")+`,`+changedJSON(3, "2024-05-01 00:00:00.000")+`],"SubmissionId":"b"}`)(w, r)
	default:
		reply(404, `{"SubmissionId":"c","Errors":[{"Error":"No customers changed within that date range."}]}`)(w, r)
	}
}

func ids(t *testing.T, ndjson string) []int64 {
	t.Helper()
	var out []int64
	for line := range strings.Lines(ndjson) {
		var c struct {
			ID int64 `json:"Id"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &c), "line %q", line)
		out = append(out, c.ID)
	}
	return out
}

func TestChangesNDJSON(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc(changesRoute, twoWindows)
	r := omeda(t, s.env(), "", "changes", "--from", "2024-01-01", "--to", "2024-07-15", "--format", "ndjson")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []int64{1, 2, 3}, ids(t, r.stdout), "each customer once, at its first occurrence")
	first, _, _ := strings.Cut(r.stdout, "\n")
	assert.JSONEq(t, changedJSON(1, "2024-03-31 00:00:00.000"), first, "the vendor's field names")

	r = omeda(t, s.env(), "", "changes", "--from", "2024-01-01", "--to", "2024-07-15", "--format", "ndjson", "--dedupe=false")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []int64{1, 2, 1, 3}, ids(t, r.stdout), "every occurrence")

	r = omeda(t, s.env(), "", "changes", "--from", "2024-01-01", "--to", "2024-07-15", "--dedupe=false")
	require.Equal(t, 0, r.code, r.stderr)
	var doc struct {
		Customers []struct {
			ID int64 `json:"Id"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &doc), r.stdout)
	assert.Len(t, doc.Customers, 4, "--format json without de-duplication is still one document")

	r = omeda(t, s.env(), "", "changes", "--from", "2024-01-01", "--format", "csv")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, `--format "csv": use json or ndjson`)
}

func TestChangesNDJSONFailureAfterOutput(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc(changesRoute, func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("start") == "03312024_0000" {
			reply(500, `{"Errors":[{"Error":"boom"}]}`)(w, r)
			return
		}
		twoWindows(w, r)
	})
	r := omeda(t, s.env(), "", "changes", "--from", "2024-01-01", "--to", "2024-07-15", "--format", "ndjson")
	assert.Equal(t, 1, r.code)
	assert.Equal(t, []int64{1, 2}, ids(t, r.stdout), "what was decoded before the failure is out")
	assert.Contains(t, r.stderr, "boom")
}

func TestChangesState(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var fail atomic.Bool
	s.mux.HandleFunc(changesRoute, func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			reply(500, `{"Errors":[{"Error":"boom"}]}`)(w, r)
			return
		}
		twoWindows(w, r)
	})
	state := filepath.Join(t.TempDir(), "sync.state")

	r := omeda(t, s.env(), "", "changes", "--state", state, "--format", "ndjson")
	assert.Equal(t, 2, r.code, "a first run needs --from")
	assert.Contains(t, r.stderr, "--from is required for the first run")
	assert.NoFileExists(t, state)

	r = omeda(t, s.env(), "", "changes", "--state", state, "--from", "2024-01-01", "--to", "2024-06-30T12:00", "--format", "ndjson")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []int64{1, 2, 3}, ids(t, r.stdout))
	data, err := os.ReadFile(state)
	require.NoError(t, err)
	assert.Equal(t, "2024-06-30T12:00:00-05:00\n", string(data), "the end of the run, in Omeda's time")

	// The next run starts where the last one ended (the shared minute asked again); --from is
	// ignored once the file exists.
	s.reset()
	r = omeda(t, s.env(), "", "changes", "--state", state, "--from", "2020-01-01", "--to", "2024-08-01", "--format", "ndjson")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, []string{"GET /webservices/rest/brand/FOO/customer/change/startdate/06302024_1200/enddate/08012024_2359/*"}, s.recorded())
	data, err = os.ReadFile(state)
	require.NoError(t, err)
	assert.Equal(t, "2024-08-01T23:59:00-05:00\n", string(data))

	// A failed run leaves the file as it was, so the next one repeats the range.
	fail.Store(true)
	r = omeda(t, s.env(), "", "changes", "--state", state, "--to", "2024-09-01", "--format", "ndjson")
	assert.Equal(t, 1, r.code)
	data, err = os.ReadFile(state)
	require.NoError(t, err)
	assert.Equal(t, "2024-08-01T23:59:00-05:00\n", string(data), "untouched after an error")
	entries, err := os.ReadDir(filepath.Dir(state))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")

	// A file that is not a state file is refused before anything is sent.
	require.NoError(t, os.WriteFile(state, []byte("yesterday\n"), 0o644))
	s.reset()
	r = omeda(t, s.env(), "", "changes", "--state", state, "--format", "ndjson")
	assert.Equal(t, 2, r.code)
	assert.Contains(t, r.stderr, "does not hold one RFC 3339 time")
	assert.Empty(t, s.recorded())
}

func TestBulkLookups(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/{id}/phone/*", func(w http.ResponseWriter, r *http.Request) {
		switch id := r.PathValue("id"); id {
		case "22":
			reply(404, `{"SubmissionId":"s","Errors":[{"MergedIntoCustomerId":99999,"Error":"Customer id 22 is valid but not active. Please use 99999."}]}`)(w, r)
		case "500":
			// The connection drops without an answer: a transport failure.
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		default:
			reply(200, `{"Customer":"c`+id+`","PhoneNumbers":[{"Id":`+id+`,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}]}`)(w, r)
		}
	})
	input := "7\n\n  22 \n../1\n500\n8\n"
	r := omeda(t, s.env(), input, "phones", "--ids-from", "-", "--concurrency", "3", "--timeout", "5s")
	assert.Equal(t, 1, r.code, "some ids failed")
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 5, r.stdout)
	assert.JSONEq(t, `{"customerId":"7","result":{"Customer":"c7","PhoneNumbers":[{"Id":7,"PhoneContactType":200,"PhoneNumber":"1","ChangedDate":"2015-03-08 21:23:34"}]}}`, lines[0])
	assert.JSONEq(t, `{"customerId":"22","error":{"status":404,"message":"Customer id 22 is valid but not active. Please use 99999.","mergedIntoCustomerId":99999}}`, lines[1])
	var invalid, transport bulkLine
	require.NoError(t, json.Unmarshal([]byte(lines[2]), &invalid))
	assert.Equal(t, "../1", invalid.CustomerID)
	assert.Nil(t, invalid.Error.Status, "nothing was sent: no status")
	assert.Contains(t, invalid.Error.Message, "nothing was sent")
	require.NoError(t, json.Unmarshal([]byte(lines[3]), &transport))
	require.NotNil(t, transport.Error.Status)
	assert.Equal(t, 0, *transport.Error.Status, "no answer: status 0")
	assert.Zero(t, transport.Error.MergedIntoCustomerID)
	assert.NotContains(t, lines[3], "mergedIntoCustomerId", "absent when unknown")
	assert.Contains(t, lines[5-1], `"customerId":"8"`)
	assert.Equal(t, "omeda phones: 5 ids: 2 succeeded, 3 failed\n", r.stderr, "one line of summary")

	file := filepath.Join(t.TempDir(), "ids.txt")
	require.NoError(t, os.WriteFile(file, []byte("1\n2\n3\n"), 0o644))
	r = omeda(t, s.env(), "", "phones", "--ids-from", file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 3, strings.Count(r.stdout, "\n"))
	assert.Equal(t, "omeda phones: 3 ids: all succeeded\n", r.stderr)
	r = omeda(t, s.env(), "1\n", "phones", "--ids-from", "-")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, "omeda phones: 1 id: all succeeded\n", r.stderr, "one id, not 1 ids")
	assert.NotContains(t, r.stderr, "\r", "no progress bar when stderr is not a terminal")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"phones", "--ids-from", file, "12345"}, "give either CUSTOMER_ID or --ids-from"},
		{[]string{"merges", "--ids-from", file, "--concurrency", "33"}, "--concurrency 33: must be between 1 and 32"},
		{[]string{"merges", "--ids-from", filepath.Join(t.TempDir(), "missing")}, "--ids-from: open"},
	} {
		r := omeda(t, s.env(), "", tc.args...)
		assert.Equal(t, 2, r.code, "%v: %s", tc.args, r.stderr)
		assert.Contains(t, r.stderr, tc.want)
	}
}

func TestBulkMergesKeepTheInputOrder(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/{id}/mergehistory/*", func(w http.ResponseWriter, r *http.Request) {
		reply(200, `{"SubmissionId":"s`+r.PathValue("id")+`","CustomerMergeHistory":[]}`)(w, r)
	})
	var b strings.Builder
	for i := range 200 {
		fmt.Fprintf(&b, "%d\n", 1000+i)
	}
	r := omeda(t, s.env(), b.String(), "merges", "--ids-from", "-", "--concurrency", "16")
	require.Equal(t, 0, r.code, r.stderr)
	i := 0
	for line := range strings.Lines(r.stdout) {
		assert.Contains(t, line, fmt.Sprintf(`{"customerId":"%d","result":`, 1000+i))
		i++
	}
	assert.Equal(t, 200, i)
}

// TestBulkProgressBarOnATerminal: with stderr a terminal the bulk lookup draws a progress bar
// there (and nothing of it reaches stdout). Not parallel: it swaps the terminal check.
func TestBulkProgressBarOnATerminal(t *testing.T) {
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/{id}/phone/*", reply(200, `{"Customer":"c","PhoneNumbers":[]}`))
	saved := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	defer func() { isTerminal = saved }()
	file := filepath.Join(t.TempDir(), "ids.txt")
	require.NoError(t, os.WriteFile(file, []byte("1\n2\n3\n"), 0o644))
	r := omeda(t, s.env(), "", "phones", "--ids-from", file)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Regexp(t, `\romeda phones .*\(\d/3, `, r.stderr, "a bar with the count of a file's ids")
	assert.Contains(t, r.stderr, "omeda phones: 3 ids: all succeeded")
	assert.Equal(t, 3, strings.Count(r.stdout, "\n"))
	assert.NotContains(t, r.stdout, "/3")
}

// TestChangesTooLargeForJSONSuggestsNDJSON: a window larger than the client holds whole is an
// error in --format json that names the way out, and streams in --format ndjson.
func TestChangesTooLargeForJSONSuggestsNDJSON(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var body strings.Builder
	body.WriteString(`{"Customers":[`)
	for i := range 50 {
		if i > 0 {
			body.WriteByte(',')
		}
		body.WriteString(changedJSON(int64(i+1), "2024-01-02 00:00:00.000"))
	}
	body.WriteString(`]}`)
	s.mux.HandleFunc(changesRoute, reply(200, body.String()))
	run := func(args ...string) result {
		var out, errOut testlog.Buffer
		f := NewFactory(strings.NewReader(""), &out, &errOut, func(string) string { return "" })
		f.Connect = func(_ ConnectionOptions, extra ...wrapper.Option) (*Connection, error) {
			client, err := wrapper.New("FOO", appID, append(extra, wrapper.WithBaseURL(s.URL+"/webservices/rest"), wrapper.WithMaxWindowSize(1<<10))...)
			return &Connection{Client: client}, err
		}
		code := Execute(t.Context(), f, args)
		return result{code, out.String(), errOut.String()}
	}
	r := run("changes", "--from", "2024-01-01", "--to", "2024-01-03")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "--format ndjson streams a window of any size")
	r = run("changes", "--from", "2024-01-01", "--to", "2024-01-03", "--format", "ndjson")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Equal(t, 50, strings.Count(r.stdout, "\n"))
}

// TestBulkOverLongLineIsOneErrorLine: a line longer than the bound (100,000 characters) is
// one error line, shown cut short, and the ids after it are still looked up.
func TestBulkOverLongLineIsOneErrorLine(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/{id}/phone/*", reply(200, `{"Customer":"c","PhoneNumbers":[]}`))
	input := "12345\n22\n" + strings.Repeat("7", 100_000) + "\n12345\n"
	r := omeda(t, s.env(), input, "phones", "--ids-from", "-")
	assert.Equal(t, 1, r.code, r.stderr)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	require.Len(t, lines, 4, r.stdout)
	assert.Contains(t, lines[0], `"customerId":"12345","result"`)
	assert.Contains(t, lines[1], `"customerId":"22","result"`)
	var long bulkLine
	require.NoError(t, json.Unmarshal([]byte(lines[2]), &long))
	assert.Equal(t, strings.Repeat("7", 64)+"…", long.CustomerID)
	require.NotNil(t, long.Error)
	assert.Nil(t, long.Error.Status, "nothing was sent")
	assert.Contains(t, long.Error.Message, "longer than 64 KiB")
	assert.Contains(t, lines[3], `"customerId":"12345","result"`, "the run goes on after the long line")
	assert.Equal(t, "omeda phones: 4 ids: 3 succeeded, 1 failed\n", r.stderr)
}

// TestReadIDsHoldsABoundedLine: a 10 MB line is read through a buffer of the bound, never
// whole: the bytes allocated stay near the bound (64 KiB), far below the line. Not parallel: it
// counts allocations.
func TestReadIDsHoldsABoundedLine(t *testing.T) {
	in := io.MultiReader(strings.NewReader("1\n"), io.LimitReader(repeatReader('9'), 10<<20), strings.NewReader("\n2"))
	var got []idLine
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	ids, errp := readIDs(in)
	for id := range ids {
		got = append(got, id)
	}
	runtime.ReadMemStats(&after)
	require.NoError(t, *errp)
	require.Len(t, got, 3)
	assert.Equal(t, []idLine{{ID: "1"}, {ID: strings.Repeat("9", 64) + "…", Long: true}, {ID: "2"}}, got)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "bytes allocated for a 10 MB line")
}

// TestBulkRefusesBinaryInput: a NUL byte (--ids-from /dev/zero, a binary file) is a usage
// error before anything is sent.
func TestBulkRefusesBinaryInput(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	file := filepath.Join(t.TempDir(), "ids.bin")
	require.NoError(t, os.WriteFile(file, append([]byte("1\n"), make([]byte, 200_000)...), 0o644))
	r := omeda(t, s.env(), "", "phones", "--ids-from", file)
	assert.Equal(t, 2, r.code, r.stderr)
	assert.Contains(t, r.stderr, "line 2 holds a NUL byte")
	assert.Empty(t, r.stdout)
}

type repeatReader byte

func (b repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(b)
	}
	return len(p), nil
}

// TestCleartextBaseURLWarnsOnce: a plain http base URL to another machine is used (not
// refused) with one warning line on stderr, also when --verbose turns the wrapper's logger on;
// loopback (the sandbox, the test server) is not warned about. Nothing is sent here: the only
// id is invalid.
func TestCleartextBaseURLWarnsOnce(t *testing.T) {
	t.Parallel()
	env := map[string]string{"OMEDA_BASE_URL": "http://omeda.example/webservices/rest", "OMEDA_BRAND": "FOO", "OMEDA_APP_ID": appID}
	for _, verbose := range [][]string{nil, {"--verbose"}} {
		r := omeda(t, env, "../1\n", append([]string{"phones", "--ids-from", "-"}, verbose...)...)
		assert.Equal(t, 1, r.code, r.stderr)
		assert.Equal(t, 1, strings.Count(r.stderr, "unencrypted"), r.stderr)
		assert.Contains(t, r.stderr, "omeda: warning: the base URL http://omeda.example is plain http to another machine")
	}
	s := newServer(t)
	s.mux.HandleFunc("GET /brand/FOO/customer/{id}/phone/*", reply(200, `{"Customer":"c","PhoneNumbers":[]}`))
	r := omeda(t, s.env(), "", "phones", "12345", "--verbose")
	require.Equal(t, 0, r.code, r.stderr)
	assert.NotContains(t, r.stderr, "unencrypted", "loopback")
}

// maxWriteRecorder records what is written and the largest single write.
type maxWriteRecorder struct {
	bytes.Buffer
	largest int
}

func (m *maxWriteRecorder) Write(p []byte) (int, error) {
	m.largest = max(m.largest, len(p))
	return m.Buffer.Write(p)
}

// TestChangesJSONIsPrintedCustomerByCustomer: the whole-window answer prints exactly what
// printJSON prints (indentation, escaping, the door's redaction of an echoed app id), but
// customer by customer: no write holds the whole encoding, which for a million customers is
// several times the memory of the customers themselves.
func TestChangesJSONIsPrintedCustomerByCustomer(t *testing.T) {
	t.Parallel()
	r := &Redactor{}
	r.Add(appID)
	sid := "s<1>&" + appID
	v := &gen.CustomerChanges{SubmissionID: &sid}
	for i := range 20_000 {
		v.Customers = append(v.Customers, gen.ChangedCustomer{ID: int64(i + 1), URL: fmt.Sprintf("u<%d>&", i),
			DateChanged: "2024-01-02 00:00:00.000", CreatedDate: "2024-01-01 00:00:00.000", CustomerStatusID: 1})
	}
	v.Customers[7].URL = "https://x/" + appID[:4] + "\u0001" + appID[4:]

	var want bytes.Buffer
	require.NoError(t, printJSON(&want, r, v))
	got := &maxWriteRecorder{}
	require.NoError(t, printChanges(got, r, v))
	assert.Equal(t, want.String(), got.String())
	assert.NotContains(t, got.String(), appID[4:])
	assert.Greater(t, want.Len(), 2<<20, "a few MiB of output")
	assert.LessOrEqual(t, got.largest, 64<<10, "written in pieces, not held whole")

	for _, small := range []*gen.CustomerChanges{{Customers: []gen.ChangedCustomer{}}, {Customers: v.Customers[:1]}} {
		want.Reset()
		got.Reset()
		require.NoError(t, printJSON(&want, r, small))
		require.NoError(t, printChanges(got, r, small))
		assert.Equal(t, want.String(), got.String())
	}
}
