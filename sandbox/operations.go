package sandbox

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/omeda-go/omeda-go/gen"
)

// phoneLookup answers GET /brand/{brandAbbreviation}/customer/{customerId}/phone/*.
func (s *Server) phoneLookup(w http.ResponseWriter, r *http.Request, m match) {
	idText := m.params["customerId"]
	c := s.dataset().resolve(idText)
	switch {
	case c != nil && c.mergedInto != 0:
		writeJSON(w, http.StatusNotFound, mergedEnvelope(c))
		return
	case c == nil || len(c.phones) == 0:
		writeError(w, http.StatusNotFound, fmt.Sprintf("No phone number found for customer %s.", idText))
		return
	}
	sid := newSubmissionID()
	out := gen.CustomerPhones{
		Customer:     customerURL(baseURL(r), m.params["brandAbbreviation"], c.id),
		PhoneNumbers: make([]gen.CustomerPhone, 0, len(c.phones)),
		SubmissionID: &sid,
	}
	for _, p := range c.phones {
		status := gen.ContactStatusCode(p.status)
		cp := gen.CustomerPhone{
			ID:               p.id,
			PhoneContactType: gen.PhoneContactType(p.kind),
			PhoneNumber:      p.number,
			ChangedDate:      formatSeconds(p.changedMs),
			StatusCode:       &status,
		}
		if p.ext != "" {
			ext := p.ext
			cp.Extension = &ext
		}
		out.PhoneNumbers = append(out.PhoneNumbers, cp)
	}
	writeJSON(w, http.StatusOK, out)
}

// mergeHistoryLookup answers GET /brand/{brandAbbreviation}/customer/{customerId}/mergehistory/*.
func (s *Server) mergeHistoryLookup(w http.ResponseWriter, _ *http.Request, m match) {
	idText := m.params["customerId"]
	c := s.dataset().resolve(idText)
	switch {
	case c == nil:
		writeError(w, http.StatusNotFound, fmt.Sprintf("Customer %s was not found.", idText))
		return
	case c.mergedInto != 0:
		writeJSON(w, http.StatusNotFound, mergedEnvelope(c))
		return
	case len(c.mergedFrom) == 0:
		writeError(w, http.StatusNotFound, fmt.Sprintf("No merge history was found for Customer %s.", idText))
		return
	}
	sid := newSubmissionID()
	out := gen.MergeHistory{CustomerMergeHistory: make([]gen.MergedCustomer, 0, len(c.mergedFrom)), SubmissionID: &sid}
	for _, id := range c.mergedFrom {
		out.CustomerMergeHistory = append(out.CustomerMergeHistory, gen.MergedCustomer{ID: id})
	}
	writeJSON(w, http.StatusOK, out)
}

// maxLookupRange is the longest change lookup the vendor answers, in calendar days.
const maxLookupRange = 90

// changeLookup answers GET /brand/{brandAbbreviation}/customer/change/startdate/{startDate}/enddate/{endDate}/*.
func (s *Server) changeLookup(w http.ResponseWriter, r *http.Request, m match) {
	startText, endText := m.params["startDate"], m.params["endDate"]
	start, ok := parseLookupDate(startText)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("Start date %s is not a date.", startText))
		return
	}
	end, ok := parseLookupDate(endText)
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("End date %s is not a date.", endText))
		return
	}
	now := s.cfg.now().In(chicago)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, chicago)
	switch {
	// An end day runs through its last millisecond: 12172018_1650 to 12172018 is a window.
	case !start.at.Before(end.through()):
		writeError(w, http.StatusNotFound, "The start date cannot be after the end date.")
		return
	// The range is measured between the two dates as written: 01012025 to 04012025 is 90 days,
	// and so is 01012025_0000 to 04012025_0000; one minute more is refused.
	case end.at.After(start.at.AddDate(0, 0, maxLookupRange)):
		writeError(w, http.StatusNotFound, "The date range cannot exceed 90 days.")
		return
	case !end.minute && !end.at.Before(today):
		writeError(w, http.StatusNotFound, "The end date must be before today.")
		return
	case end.minute && end.at.After(now):
		writeError(w, http.StatusNotFound, "The end date cannot be in the future.")
		return
	}
	changed := s.dataset().changedWithin(start.at.UnixMilli(), end.through().UnixMilli())
	if len(changed) == 0 {
		writeError(w, http.StatusNotFound, "No customers changed within that date range.")
		return
	}
	prefix, _ := json.Marshal(baseURL(r) + "/brand/" + m.params["brandAbbreviation"] + "/customer/")
	writeChanges(w, changed, prefix[1:len(prefix)-1], newSubmissionID())
}

// writeChanges streams a CustomerChanges body: the window may hold the whole population, so no
// value per customer is built, only bytes appended to one reused buffer.
func writeChanges(w http.ResponseWriter, changed []*customer, urlPrefix []byte, sid string) {
	w.Header().Set("Content-Type", jsonContentType)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	buf := make([]byte, 0, 512)
	buf = append(buf, `{"Customers":[`...)
	for i, c := range changed {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, `{"Url":"`...)
		buf = append(buf, urlPrefix...)
		buf = strconv.AppendInt(buf, c.id, 10)
		buf = append(buf, `/*","Id":`...)
		buf = strconv.AppendInt(buf, c.id, 10)
		buf = append(buf, `,"DateChanged":"`...)
		buf = appendMillis(buf, c.changedMs)
		buf = append(buf, `","CreatedDate":"`...)
		buf = appendMillis(buf, c.createdMs)
		buf = append(buf, `","CustomerStatusId":`...)
		buf = strconv.AppendInt(buf, int64(c.status), 10)
		buf = append(buf, '}')
		if len(buf) >= 4<<10 {
			if _, err := bw.Write(buf); err != nil {
				abort() // the client went away or the sandbox closed: no well-formed end
			}
			buf = buf[:0]
		}
	}
	buf = append(buf, `],"SubmissionId":"`...)
	buf = append(buf, sid...)
	buf = append(buf, `"}`...)
	if _, err := bw.Write(buf); err != nil {
		abort()
	}
	if err := bw.Flush(); err != nil {
		abort()
	}
}

// storeCustomerAndOrder answers POST /brand/{brandAbbreviation}/storecustomerandorder/*.
func (s *Server) storeCustomerAndOrder(w http.ResponseWriter, r *http.Request, m match, body []byte) {
	var sub gen.StoreCustomerAndOrderRequest
	if err := json.Unmarshal(body, &sub); err != nil {
		writeError(w, http.StatusBadRequest, "The submission could not be read: "+err.Error()+".")
		return
	}
	at := s.cfg.now()
	now := at.UnixMilli()
	due := now + s.cfg.processAfter.Milliseconds()
	runProcessor := sub.RunProcessor != nil && sub.RunProcessor.Int64() == 1
	if runProcessor {
		due = now // processed at once, as Omeda does for RunProcessor
	}
	out := s.dataset().store(&sub, now, due, submissionRules(body, at))
	switch {
	case out.merged != nil:
		writeJSON(w, http.StatusNotFound, mergedEnvelope(out.merged))
		return
	case len(out.refusals) > 0:
		writeError(w, http.StatusBadRequest, out.refusals...)
		return
	}
	sid := newSubmissionID()
	txn := gen.Transaction{
		TransactionID: out.transactionID,
		URL:           baseURL(r) + "/brand/" + m.params["brandAbbreviation"] + "/transaction/" + strconv.FormatInt(out.transactionID, 10) + "/*",
	}
	if runProcessor && out.processed {
		// The receipt of a submission processed at once names the customer and the order.
		encrypted := encryptID(out.customerID)
		txn.CustomerID = &out.customerID
		txn.EncryptedCustomerID = &encrypted
		if out.orderID != 0 {
			txn.OrderID = &out.orderID
		}
	}
	writeJSON(w, http.StatusOK, gen.StoreReceipt{ResponseInfo: []gen.Transaction{txn}, SubmissionID: &sid})
}

// transactionLookup answers GET /brand/{brandAbbreviation}/transaction/{transactionId}/*.
func (s *Server) transactionLookup(w http.ResponseWriter, _ *http.Request, m match) {
	idText := m.params["transactionId"]
	id, err := strconv.ParseInt(idText, 10, 64)
	var t transaction
	found := false
	if err == nil {
		t, found = s.dataset().transaction(id)
	}
	if !found {
		writeError(w, http.StatusNotFound, fmt.Sprintf("No status found for transaction %s.", idText))
		return
	}
	writeJSON(w, http.StatusOK, t.lookup(s.cfg.now().UnixMilli(), newSubmissionID()))
}
