package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/omeda-go/omeda-go/gen"
)

const (
	brand = "FOO"
	appID = "bench-app-id"
)

// phoneBody is the vendor's documented phone answer.
var phoneBody = []byte(`{"Customer":"https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":472517,"PhoneContactType":200,"PhoneNumber":"8475648900","Extension":"999","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"},{"Id":472518,"PhoneContactType":210,"PhoneNumber":"8475648901","StatusCode":1,"ChangedDate":"2015-03-08 21:23:34"}],"SubmissionId":"24B9BF6F-0677-462B-942A-D87EEBD10F77"}`)

// changesBody encodes a change-lookup answer of n customers, realistic in size (about 190
// bytes each).
func changesBody(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"Customers":[`)
	day := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		if i > 0 {
			buf.WriteByte(',')
		}
		id := 100000000 + i
		changed := day.Add(time.Duration(i) * 7 * time.Second)
		c := gen.ChangedCustomer{
			ID:               int64(id),
			URL:              fmt.Sprintf("https://ows.omeda.com/webservices/rest/brand/FOO/customer/%d/*", id),
			DateChanged:      changed.Format("2006-01-02 15:04:05.000"),
			CreatedDate:      changed.Add(-400 * 24 * time.Hour).Format("2006-01-02 15:04:05.000"),
			CustomerStatusID: gen.CustomerStatus(i % 2),
		}
		b, _ := json.Marshal(c)
		buf.Write(b)
	}
	buf.WriteString(`],"SubmissionId":"4085DDD2-22FF-4FFE-22CB-962CCAE603B6"}`)
	return buf.Bytes()
}

// server answers every client with pre-encoded bodies, so that what is measured is the client.
type server struct {
	*httptest.Server
	base    string
	latency time.Duration

	mu     sync.Mutex
	bodies map[int][]byte // change answers by size
	size   int            // customers per change window
}

func newServer(tb testing.TB) *server {
	s := &server{bodies: map[int][]byte{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/{id}/phone/*", func(w http.ResponseWriter, _ *http.Request) {
		s.wait()
		write(w, phoneBody)
	})
	mux.HandleFunc("GET /webservices/rest/brand/FOO/customer/change/startdate/{start}/enddate/{end}/*", func(w http.ResponseWriter, _ *http.Request) {
		s.wait()
		s.mu.Lock()
		body := s.bodies[s.size]
		s.mu.Unlock()
		write(w, body)
	})
	s.Server = httptest.NewServer(mux)
	s.base = s.URL + "/webservices/rest"
	tb.Cleanup(s.Close)
	return s
}

func (s *server) wait() {
	if s.latency > 0 {
		time.Sleep(s.latency)
	}
}

// answer makes change windows answer n customers each.
func (s *server) answer(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bodies[n] == nil {
		s.bodies[n] = changesBody(n)
	}
	s.size = n
}

func write(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	_, _ = w.Write(body)
}

// transport is one connection pool per client, sized for the concurrent backfill.
func transport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return t
}

func phonePath(base, id string) string {
	return base + "/brand/" + brand + "/customer/" + id + "/phone/*"
}

func changesPath(base, start, end string) string {
	return base + "/brand/" + brand + "/customer/change/startdate/" + start + "/enddate/" + end + "/*"
}
