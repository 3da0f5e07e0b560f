package conformance_test

import (
	"context"
	"fmt"
	"log"
	"net/http"

	"github.com/omeda-go/omeda-go/conformance"
	"github.com/omeda-go/omeda-go/sandbox"
	"github.com/omeda-go/omeda-go/wrapper"
)

// Check every exchange of an integration test against the contract.
func ExampleTransport() {
	sb, err := sandbox.Start("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer sb.Close()

	v, err := conformance.NewValidator(sb.URL)
	if err != nil {
		log.Fatal(err)
	}
	// Secrets: the client's credentials, kept out of every report the transport makes.
	tr := &conformance.Transport{Validator: v, Secrets: []string{"my-app-id"}}
	client, err := wrapper.New("FOO", "my-app-id", wrapper.WithBaseURL(sb.URL),
		wrapper.WithHTTPClient(&http.Client{Transport: tr}))
	if err != nil {
		log.Fatal(err)
	}
	_, _ = client.PhoneNumbers(context.Background(), "12345")
	_, _ = client.PhoneNumbers(context.Background(), "22") // a merged customer: a documented 404

	fmt.Println(tr.Exchanges(), "exchanges,", len(tr.Violations()), "violations")
	// Output: 2 exchanges, 0 violations
}

// Check a recorded exchange, here one where the answer drifted from the contract.
func ExampleValidator_Replay() {
	v, err := conformance.NewValidator("https://ows.omedastaging.com/webservices/rest")
	if err != nil {
		log.Fatal(err)
	}
	c := conformance.Cassette{
		Name:    "a phone lookup whose date gained milliseconds",
		Request: conformance.CassetteRequest{Method: "GET", Path: "/brand/FOO/customer/12345/phone/*", Headers: map[string]string{"x-omeda-appid": "REDACTED"}},
		Response: conformance.CassetteResponse{Status: 200, Headers: map[string]string{"Content-Type": "application/json"},
			Body: []byte(`{"Customer":"https://ows.omedastaging.com/webservices/rest/brand/FOO/customer/12345/*","PhoneNumbers":[{"Id":1,"PhoneContactType":200,"PhoneNumber":"8475648900","ChangedDate":"2015-03-08 21:23:34.000"}]}`)},
	}
	vs, err := v.Replay(context.Background(), c, "https://ows.omedastaging.com/webservices/rest")
	if err != nil {
		log.Fatal(err)
	}
	for _, violation := range vs {
		fmt.Println(violation.Operation, violation.Status, violation.Pointer)
	}
	// Output: phoneLookupByCustomerId 200 /PhoneNumbers/0/ChangedDate
}
