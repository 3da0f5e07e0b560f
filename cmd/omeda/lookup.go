package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/omeda-go/omeda-go/wrapper"
)

// LookupOptions are the options of phones and merges, the two lookups of one customer.
type LookupOptions struct {
	APIOptions
	// CustomerID is Omeda's numeric customer id or an encrypted customer id.
	CustomerID string
	// FollowMerges is how many merges to follow (--follow-merges); 0 makes a merged customer an
	// error.
	FollowMerges int
	// Lookup is the wrapper call: Client.PhoneNumbers or Client.MergeHistory.
	Lookup func(ctx context.Context, c *wrapper.Client, id string) (any, error)
}

// NewCmdPhones is "omeda phones CUSTOMER_ID".
func NewCmdPhones(f *Factory, runF func(*LookupOptions) error) *cobra.Command {
	return newCmdLookup(f, runF, &cobra.Command{
		Use:   "phones CUSTOMER_ID",
		Short: "phone numbers of a customer",
		Long: `CUSTOMER_ID is Omeda's numeric customer id or an encrypted customer id. A merged customer
is an error naming the customer it was merged into, unless --follow-merges is given.`,
		Example: examples("omeda phones 12345", "omeda phones 9130C2719701F5S", "omeda phones --follow-merges 3 22"),
	}, func(ctx context.Context, c *wrapper.Client, id string) (any, error) { return c.PhoneNumbers(ctx, id) })
}

// NewCmdMerges is "omeda merges CUSTOMER_ID".
func NewCmdMerges(f *Factory, runF func(*LookupOptions) error) *cobra.Command {
	return newCmdLookup(f, runF, &cobra.Command{
		Use:   "merges CUSTOMER_ID",
		Short: "merge history of a customer: the customers merged into it",
		Long: `CUSTOMER_ID is Omeda's numeric customer id or an encrypted customer id. A customer that was
itself merged into another is an error naming the survivor, unless --follow-merges is given.`,
		Example: examples("omeda merges 99999", "omeda merges --follow-merges 3 22"),
	}, func(ctx context.Context, c *wrapper.Client, id string) (any, error) { return c.MergeHistory(ctx, id) })
}

func newCmdLookup(f *Factory, runF func(*LookupOptions) error, cmd *cobra.Command,
	lookup func(context.Context, *wrapper.Client, string) (any, error)) *cobra.Command {
	opts := &LookupOptions{APIOptions: newAPIOptions(f), Lookup: lookup}
	cmd.Args = func(_ *cobra.Command, args []string) error {
		if len(args) != 1 {
			return usagef("expected one CUSTOMER_ID, got %d arguments", len(args))
		}
		return nil
	}
	cmd.ValidArgsFunction = cobra.NoFileCompletions
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.Ctx = cmd.Context()
		opts.CustomerID = args[0]
		if runF != nil {
			return runF(opts)
		}
		return lookupRun(opts)
	}
	cmd.Flags().IntVar(&opts.FollowMerges, "follow-merges", 0, "follow a merged customer to the one it was merged into, up to `N` times")
	addConnectionFlags(cmd, &opts.Conn)
	return cmd
}

func lookupRun(opts *LookupOptions) error {
	if err := wrapper.CheckCustomerID(opts.CustomerID); err != nil {
		return err
	}
	follow := wrapper.WithFollowMerges(opts.FollowMerges)
	return opts.printResult([]wrapper.Option{follow}, func(ctx context.Context, c *wrapper.Client) (any, error) {
		return opts.Lookup(ctx, c, opts.CustomerID)
	})
}
