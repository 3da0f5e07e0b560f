package wrapper

import (
	"fmt"
	"strconv"
)

// customerIDPattern is the contract's CustomerIdentifier pattern: an internal id (a positive
// 64-bit integer, no leading zeros) or an encrypted id (13 to 16 letters and digits).
// validCustomerID implements it without a regular expression, since every lookup checks it;
// a test holds the two to the same answers.
const customerIDPattern = `^(?:[1-9][0-9]{0,18}|[0-9A-Za-z]{13,16})$`

func validCustomerID(id string) bool {
	digits, alnum := true, true
	for i := 0; i < len(id); i++ {
		switch c := id[i]; {
		case c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
			digits = false
		default:
			digits, alnum = false, false
		}
	}
	numeric := digits && len(id) >= 1 && len(id) <= 19 && id[0] != '0'
	encrypted := alnum && len(id) >= 13 && len(id) <= 16
	return numeric || encrypted
}

// CheckCustomerID reports whether id can be a customer id: Omeda's internal numeric id or an
// encrypted id. Ids that cannot be valid are refused before anything is sent, so that no id can
// change the path it is put in.
func CheckCustomerID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: customer id is empty", ErrInvalidInput)
	}
	if !validCustomerID(id) {
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
