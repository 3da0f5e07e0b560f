package wrapper

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTheOwnTransportBoundsHeaders: net/http reads up to 10 MB of an answer's headers; the
// client's own transport stops at 1 MiB, under the answer bound, so that an answer cannot make
// it hold more in headers than in a body. The headers' size is the transport's to refuse: the
// call fails as a transport error, with nothing of the headers in its message.
func TestTheOwnTransportBoundsHeaders(t *testing.T) {
	t.Parallel()
	f := setup(t, WithRetryPolicy(NoRetries()))
	f.handle("GET /brand/FOO/customer/12345/phone/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("p", 2<<20))
		respond(w, 200, phonesBody)
	})
	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	var terr *TransportError
	require.ErrorAs(t, err, &terr, "%v", err)
	assert.NotContains(t, err.Error(), "pppp")

	// Headers under the bound are read as before.
	f.handle("GET /brand/FOO/customer/777/phone/*", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("p", 512<<10))
		respond(w, 200, phonesBody)
	})
	_, err = f.client.PhoneNumbers(t.Context(), "777")
	require.NoError(t, err)
}
