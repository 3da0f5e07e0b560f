package wrapper

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"

	"github.com/omeda-go/omeda-go/internal/spec"
)

// pathPatterns are the patterns of the contract's path parameters, compiled once, so that the
// checks made before sending are the contract's own and follow it when it changes.
type pathPatterns struct {
	customerID, brand *regexp.Regexp
}

var contractPatterns = sync.OnceValues(func() (pathPatterns, error) {
	c, err := spec.Load()
	if err != nil {
		return pathPatterns{}, err
	}
	compile := func(schema string) (*regexp.Regexp, error) {
		s := c.Schema(schema)
		if s == nil || s.Pattern == "" {
			return nil, fmt.Errorf("omeda: openapi.yaml has no pattern for %s", schema)
		}
		return regexp.Compile(s.Pattern)
	}
	var p pathPatterns
	if p.customerID, err = compile("CustomerIdentifier"); err != nil {
		return pathPatterns{}, err
	}
	if p.brand, err = compile("BrandAbbreviation"); err != nil {
		return pathPatterns{}, err
	}
	return p, nil
})

// customerIDPattern and brandPattern are the two patterns (a field each: the customer id is
// checked on every lookup).
func customerIDPattern() (*regexp.Regexp, error) {
	p, err := contractPatterns()
	return p.customerID, err
}

func brandPattern() (*regexp.Regexp, error) {
	p, err := contractPatterns()
	return p.brand, err
}

// CheckCustomerID reports whether id can be a customer id, by the contract's CustomerIdentifier
// pattern: Omeda's internal numeric id or an encrypted id. Ids that cannot be valid are refused
// before anything is sent, so that no id can change the path it is put in.
func CheckCustomerID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: customer id is empty", ErrInvalidInput)
	}
	re, err := customerIDPattern()
	if err != nil {
		return err
	}
	if !re.MatchString(id) {
		return fmt.Errorf("%w: customer id %s is neither a positive number nor an encrypted id (13 to 16 letters and digits)",
			ErrInvalidInput, quoted(id, 40))
	}
	if len(id) > 16 { // only a numeric id can be this long
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return fmt.Errorf("%w: customer id %s is larger than a 64-bit id", ErrInvalidInput, id)
		}
	}
	return nil
}
