package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/omeda-go/omeda-go/gen"
)

const jsonContentType = "application/json"

// newSubmissionID returns a random UUID in the vendor's upper-case spelling.
func newSubmissionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := strings.ToUpper(hex.EncodeToString(b[:]))
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// envelope is the vendor's error body, one ErrorMessage per message.
func envelope(messages ...string) gen.ErrorEnvelope {
	sid := newSubmissionID()
	env := gen.ErrorEnvelope{SubmissionID: &sid, Errors: make([]gen.ErrorMessage, 0, len(messages))}
	for _, m := range messages {
		env.Errors = append(env.Errors, gen.ErrorMessage{Error: m})
	}
	return env
}

// mergedEnvelope is the vendor's answer for a customer merged into another.
func mergedEnvelope(c *customer) gen.ErrorEnvelope {
	sid := newSubmissionID()
	into := c.mergedInto
	return gen.ErrorEnvelope{SubmissionID: &sid, Errors: []gen.ErrorMessage{{
		Error:                fmt.Sprintf("Customer id %d is valid but not active. Please use %d.", c.id, c.mergedInto),
		MergedIntoCustomerID: &into,
	}}}
}

// writeJSON answers with v as JSON and a Content-Length.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Unreachable with the gen models; still answer in the vendor's shape.
		status = http.StatusInternalServerError
		body, _ = json.Marshal(envelope("The sandbox could not encode its answer."))
	}
	h := w.Header()
	h.Set("Content-Type", jsonContentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError answers with the vendor's error envelope.
func writeError(w http.ResponseWriter, status int, messages ...string) {
	writeJSON(w, status, envelope(messages...))
}

// baseURL is the absolute URL of the API root as the client reached it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host + basePath
}

// customerURL is the link to a customer resource, as the vendor writes it.
func customerURL(base, brand string, id int64) string {
	return base + "/brand/" + brand + "/customer/" + strconv.FormatInt(id, 10) + "/*"
}
