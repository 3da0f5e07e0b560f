package wrapper

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/omeda-go/omeda-go/internal/testlog"
)

func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	logger, buf := testlog.JSON()
	f := setup(t, WithLogger(logger), WithFollowMerges(1))
	f.handle(phonesPath, sequence(
		func(w http.ResponseWriter, r *http.Request) {
			respond(w, 503, `{"Errors":[{"Error":"busy for `+r.Header.Get("x-omeda-appid")+`"}]}`)
		},
		status(502, ""),
		status(200, phonesBody),
	))
	f.handle("GET /brand/FOO/customer/22/phone/*", status(404, mergedBody))
	f.handle("GET /brand/FOO/customer/99999/phone/*", status(404, noPhoneBody))
	f.handle(storePattern, func(w http.ResponseWriter, r *http.Request) {
		respond(w, 403, `{"Errors":[{"Error":"bad input id `+r.Header.Get("x-omeda-inputid")+`"}]}`)
	})

	_, err := f.client.PhoneNumbers(t.Context(), "12345")
	require.NoError(t, err)
	_, err = f.client.PhoneNumbers(t.Context(), "22")
	require.ErrorIs(t, err, ErrNotFound)
	_, err = f.client.StoreCustomerAndOrderJSON(t.Context(), []byte(`{}`))
	require.ErrorIs(t, err, ErrForbidden)
	assertNoSecrets(t, err.Error())

	logs := buf.String()
	assert.Equal(t, 2, strings.Count(logs, `"msg":"omeda retry"`), logs)
	assert.Equal(t, 6, strings.Count(logs, `"msg":"omeda attempt"`), logs)
	assert.Contains(t, logs, `"msg":"omeda following merged customer","from":"22","to":"99999"`)
	assert.Contains(t, logs, "[REDACTED]")
	assertNoSecrets(t, logs)
}
