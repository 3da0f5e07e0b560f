package main

import (
	"context"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/wrapper"
)

// TransactionOptions are the options of "omeda transaction".
type TransactionOptions struct {
	APIOptions
	// TransactionID is the transaction of a store receipt.
	TransactionID int64
}

// NewCmdTransaction is "omeda transaction ID".
func NewCmdTransaction(f *Factory, runF func(*TransactionOptions) error) *cobra.Command {
	opts := &TransactionOptions{APIOptions: newAPIOptions(f)}
	cmd := &cobra.Command{
		Use:   "transaction ID",
		Short: "how far Omeda has processed a stored submission (transaction lookup)",
		Long: `ID is the TransactionId of a store receipt. Prints the transaction lookup as JSON: its Status
(for example 0 Loaded into Staging, 9 Failed Validation Rules, 100 Moved to ERD – Complete New
Customer), the customer it became once known (OmedaCustomerId), and the transaction's own
Errors. An unknown transaction is an error (Omeda answers 404). To wait for the outcome of a
submission, use 'omeda store --wait'.`,
		Example: examples("omeda transaction 8907512"),
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("expected one transaction ID, got %d arguments", len(args))
			}
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id < 1 {
				return usagef("transaction ID %q: must be a positive integer", args[0])
			}
			opts.TransactionID = id
			return nil
		},
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Ctx = cmd.Context()
			if runF != nil {
				return runF(opts)
			}
			return transactionRun(opts)
		},
	}
	addConnectionFlags(cmd, &opts.Conn)
	return cmd
}

func transactionRun(opts *TransactionOptions) error {
	return opts.printResult(nil, func(ctx context.Context, c *wrapper.Client) (any, error) {
		return c.Transaction(ctx, opts.TransactionID)
	})
}
