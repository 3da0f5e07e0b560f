package sandbox_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/sandbox"
)

// Start a sandbox and look up the phone numbers of customer 12345, the vendor's example, with
// plain net/http.
func Example() {
	s, err := sandbox.Start("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	req, err := http.NewRequest(http.MethodGet, s.URL+"/brand/FOO/customer/12345/phone/*", nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Header.Set("x-omeda-appid", "any-app-id")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()

	var phones gen.CustomerPhones
	if err := json.NewDecoder(resp.Body).Decode(&phones); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status)
	fmt.Println(phones.PhoneNumbers[0].PhoneNumber, phones.PhoneNumbers[0].ChangedDate)
	// Output:
	// 200 OK
	// 8475648900 2015-03-08 21:23:34
}

// Inject a fault: the next phone lookup is answered 503 with a Retry-After header.
func ExampleServer_Inject() {
	s, err := sandbox.Start("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	s.Inject(sandbox.Fault{Operation: sandbox.PhoneLookupByCustomerID, Status: http.StatusServiceUnavailable, RetryAfter: "2"})

	for range 2 {
		req, err := http.NewRequest(http.MethodGet, s.URL+"/brand/FOO/customer/12345/phone/*", nil)
		if err != nil {
			log.Fatal(err)
		}
		req.Header.Set("x-omeda-appid", "any-app-id")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After: %q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fmt.Println(s.Requests(sandbox.PhoneLookupByCustomerID), "requests")
	// Output:
	// 503 Retry-After: "2"
	// 200 Retry-After: ""
	// 2 requests
}
