package wrapper

import (
	"fmt"
	"regexp"
	"strconv"
)

// customerIDPattern is the contract's CustomerIdentifier pattern: an internal id (a positive
// 64-bit integer, no leading zeros) or an encrypted id (13 to 16 letters and digits).
const customerIDPattern = `^(?:[1-9][0-9]{0,18}|[0-9A-Za-z]{13,16})$`

var customerIDRe = regexp.MustCompile(customerIDPattern)

// CheckCustomerID reports whether id can be a customer id: Omeda's internal numeric id or an
// encrypted id. Ids that cannot be valid are refused before anything is sent, so that no id can
// change the path it is put in.
func CheckCustomerID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: customer id is empty", ErrInvalidInput)
	}
	if !customerIDRe.MatchString(id) {
		return fmt.Errorf("%w: customer id %q is neither a positive number nor an encrypted id (13 to 16 letters and digits)",
			ErrInvalidInput, snippet(id, 40))
	}
	if len(id) > 16 { // only a numeric id can be this long
		if _, err := strconv.ParseInt(id, 10, 64); err != nil {
			return fmt.Errorf("%w: customer id %q is larger than a 64-bit id", ErrInvalidInput, id)
		}
	}
	return nil
}
