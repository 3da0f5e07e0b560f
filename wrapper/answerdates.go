package wrapper

import (
	"context"
	"log/slog"
	"strconv"

	"github.com/omeda-go/omeda-go/gen"
	"github.com/omeda-go/omeda-go/internal/spec"
)

// AnswerWarningMessage is the message of the log record (at warn level) written when a change
// window's customers carry a documented date that breaks the contract's pattern, such as a
// DateChanged of "yesterday": the customers are delivered as they are (a sync must not stop on
// one odd value), ParseTime fails on that date, and the record names the first one, with the
// attributes operation, pointer, value (quoted, cleaned, at most its first 200 bytes) and count.
const AnswerWarningMessage = "omeda answer breaks the contract"

// dateWatch counts the customers of one window whose DateChanged or CreatedDate is not Omeda's
// yyyy-MM-dd HH:mm:ss.SSS (with an optional " CST" or " CDT"), and keeps the first of them.
type dateWatch struct {
	n             int // customers seen
	bad           int
	pointer, text string
}

func (w *dateWatch) check(cust *gen.ChangedCustomer) {
	i := w.n
	w.n++
	field, value := "DateChanged", cust.DateChanged
	if isMillisDate(value) {
		if field, value = "CreatedDate", cust.CreatedDate; isMillisDate(value) {
			return
		}
	}
	if w.bad == 0 {
		w.pointer, w.text = spec.Pointer("Customers", strconv.Itoa(i), field), value
	}
	w.bad++
}

// maxWarnedValue bounds, in bytes, the value a warning quotes: one customer of an answer may
// take up to WithMaxAnswerSize, and a log line is no place for megabytes. It is cut after
// redaction, so that a secret across the cut is still redacted whole.
const maxWarnedValue = 200

// report logs what the window carried, if anything.
func (w *dateWatch) report(c *Client) {
	if w.bad == 0 || c.log == nil {
		return
	}
	c.log.LogAttrs(context.Background(), slog.LevelWarn, AnswerWarningMessage,
		slog.String("operation", opChanges.id), slog.String("pointer", w.pointer),
		slog.String("value", c.red.clean(strconv.Quote(w.text), maxWarnedValue, false)), slog.Int("count", w.bad),
		slog.String("reason", "not a date of the form yyyy-MM-dd HH:mm:ss.SSS"))
}

// isMillisDate matches the contract's LocalDateTimeMillis pattern,
// ^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]) ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}( C[SD]T)?$,
// without a regular expression: it runs once per customer of windows of millions.
func isMillisDate(s string) bool {
	switch {
	case len(s) == 27 && s[23] == ' ' && s[24] == 'C' && (s[25] == 'S' || s[25] == 'D') && s[26] == 'T':
	case len(s) == 23:
	default:
		return false
	}
	const shape = "dddd-dd-dd dd:dd:dd.ddd"
	for i := range len(shape) {
		if shape[i] == 'd' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if s[i] != shape[i] {
			return false
		}
	}
	two := func(i int) int { return int(s[i]-'0')*10 + int(s[i+1]-'0') }
	month, day, hour, minute, second := two(5), two(8), two(11), two(14), two(17)
	return month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59
}
