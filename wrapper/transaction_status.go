package wrapper

import "fmt"

// TransactionState is what a transaction's status means to a caller waiting for it.
type TransactionState int

// The four states of a transaction; see ClassifyTransactionStatus for which status is which.
const (
	// TransactionPending: Omeda is still processing the submission, or has not started; a wait
	// that ends in this state ran out of time.
	TransactionPending TransactionState = iota
	// TransactionProcessed: the submission landed in Omeda's database (ERD); the outcome names
	// the customer.
	TransactionProcessed
	// TransactionFailed: the submission will not land (or landed only in part); the outcome
	// carries the transaction's errors.
	TransactionFailed
	// TransactionHeld: the submission waits for a person at Omeda (a hold or a manual review).
	// It may still land, but not soon: a wait stops here and says so.
	TransactionHeld
)

// String returns "pending", "processed", "failed" or "held".
func (s TransactionState) String() string {
	switch s {
	case TransactionPending:
		return "pending"
	case TransactionProcessed:
		return "processed"
	case TransactionFailed:
		return "failed"
	case TransactionHeld:
		return "held"
	}
	return fmt.Sprintf("TransactionState(%d)", int(s))
}

// Final reports whether a wait stops at this state: every state but TransactionPending.
func (s TransactionState) Final() bool { return s != TransactionPending }

type statusMeaning struct {
	state       TransactionState
	description string // the vendor's words
}

// transactionStatuses is the one table that classifies Omeda's transaction statuses, with the
// descriptions of the vendor's status table
// (https://knowledgebase.omeda.com/omedaclientkb/transaction-lookup#Additional-Information),
// the same list as x-omeda-known-values of TransactionStatusCode in the contract.
//
// Where the vendor's words leave room, the table decides:
//   - a step that processing passes through on its own (loaded, ready, running, passed, done, a
//     de-duplication verdict, ready to migrate, payment pending or succeeded) is pending;
//   - "On Hold" and "Manual Review" (1, 3, 20, 35, 36, 37) wait for a person: held;
//   - a verdict that stops the record (2, 6, 9, 51, 98, 110) is failed, and so is 99, "Moved to
//     ERD – Partial": part of the submission did not land, which a caller must hear about;
//   - 52, "Source Prioritization Partial Failure", is pending: processing goes on to 99;
//   - only 100 and 101, "Moved to ERD – Complete", are processed.
var transactionStatuses = map[int]statusMeaning{
	0:   {TransactionPending, "Loaded into Staging"},
	1:   {TransactionHeld, "Customer On Hold"},
	2:   {TransactionFailed, "Customer Has Excessive Errors"},
	3:   {TransactionHeld, "Paid Customer On Hold"},
	4:   {TransactionPending, "Payment Pending"},
	5:   {TransactionPending, "Payment Succeeded"},
	6:   {TransactionFailed, "Payment Failed"},
	7:   {TransactionPending, "API Transaction Loaded into Staging"},
	8:   {TransactionPending, "Verification Rules Ready"},
	9:   {TransactionFailed, "Failed Validation Rules"},
	10:  {TransactionPending, "Passed Validation Rules"},
	19:  {TransactionPending, "OEC Ready"},
	20:  {TransactionHeld, "OEC On Hold"},
	21:  {TransactionPending, "OEC Done"},
	28:  {TransactionPending, "DupeCheck Ready"},
	29:  {TransactionPending, "DupeCheck Running"},
	30:  {TransactionPending, "DupeCheck New Customer"},
	31:  {TransactionPending, "DupeCheck Existing Customer"},
	35:  {TransactionHeld, "DupeCheck Manual Review"},
	36:  {TransactionHeld, "DupeCheck Manual Review New Customer"},
	37:  {TransactionHeld, "DupeCheck Manual Review Existing Customer"},
	49:  {TransactionPending, "Source Prioritization Ready"},
	50:  {TransactionPending, "Source Prioritization Passed"},
	51:  {TransactionFailed, "Source Prioritization Failed"},
	52:  {TransactionPending, "Source Prioritization Partial Failure"},
	90:  {TransactionPending, "Ready to Migrate to ERD New Customer"},
	91:  {TransactionPending, "Ready to Migrate to ERD Existing Customer"},
	98:  {TransactionFailed, "Moved to ERD – Failed Source Prioritization"},
	99:  {TransactionFailed, "Moved to ERD – Partial"},
	100: {TransactionProcessed, "Moved to ERD – Complete New Customer"},
	101: {TransactionProcessed, "Moved to ERD – Complete Existing Customer"},
	110: {TransactionFailed, "Discard Record"},
}

// ClassifyTransactionStatus says what a transaction status means: its state, the vendor's
// description, and whether the status is in the vendor's table at all. A status the table does
// not list (Omeda may add some) is pending, so that a wait keeps going rather than report an
// outcome it cannot know, and its description says "(not in the vendor's table)";
// WaitForTransaction logs it.
func ClassifyTransactionStatus(status int) (state TransactionState, description string, known bool) {
	m, ok := transactionStatuses[status]
	if !ok {
		return TransactionPending, "(not in the vendor's table)", false
	}
	return m.state, m.description, true
}
