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
	// IDsFrom is a file of customer ids, one a line, or "-" for stdin (--ids-from): a bulk lookup.
	IDsFrom string
	// Concurrency is how many lookups of a bulk lookup run at once (--concurrency).
	Concurrency int
}

// NewCmdPhones is "omeda phones CUSTOMER_ID".
func NewCmdPhones(f *Factory, runF func(*LookupOptions) error) *cobra.Command {
	return newCmdLookup(f, runF, &cobra.Command{
		Use:   "phones CUSTOMER_ID | --ids-from FILE",
		Short: "phone numbers of a customer, or of many",
		Long: `CUSTOMER_ID is Omeda's numeric customer id or an encrypted customer id. A merged customer
is an error naming the customer it was merged into, unless --follow-merges is given.` + bulkHelp,
		Example: examples("omeda phones 12345", "omeda phones 9130C2719701F5S", "omeda phones --follow-merges 3 22",
			"omeda phones --ids-from ids.txt --concurrency 8 > phones.ndjson",
			"omeda changes --from 2024-06-01 --format ndjson | jq -r .Id | omeda phones --ids-from -"),
	}, func(ctx context.Context, c *wrapper.Client, id string) (any, error) { return c.PhoneNumbers(ctx, id) })
}

// NewCmdMerges is "omeda merges CUSTOMER_ID".
func NewCmdMerges(f *Factory, runF func(*LookupOptions) error) *cobra.Command {
	return newCmdLookup(f, runF, &cobra.Command{
		Use:   "merges CUSTOMER_ID | --ids-from FILE",
		Short: "merge history of a customer, or of many: the customers merged into it",
		Long: `CUSTOMER_ID is Omeda's numeric customer id or an encrypted customer id. A customer that was
itself merged into another is an error naming the survivor, unless --follow-merges is given.` + bulkHelp,
		Example: examples("omeda merges 99999", "omeda merges --follow-merges 3 22", "omeda merges --ids-from ids.txt > merges.ndjson"),
	}, func(ctx context.Context, c *wrapper.Client, id string) (any, error) { return c.MergeHistory(ctx, id) })
}

func newCmdLookup(f *Factory, runF func(*LookupOptions) error, cmd *cobra.Command,
	lookup func(context.Context, *wrapper.Client, string) (any, error)) *cobra.Command {
	opts := &LookupOptions{APIOptions: newAPIOptions(f), Lookup: lookup}
	cmd.Args = func(_ *cobra.Command, args []string) error {
		switch {
		case opts.IDsFrom != "" && len(args) > 0:
			return usagef("give either CUSTOMER_ID or --ids-from, not both")
		case opts.IDsFrom == "" && len(args) != 1:
			return usagef("expected one CUSTOMER_ID (or --ids-from FILE), got %d arguments", len(args))
		}
		return nil
	}
	cmd.ValidArgsFunction = cobra.NoFileCompletions
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts.Ctx = cmd.Context()
		if len(args) > 0 {
			opts.CustomerID = args[0]
		}
		if runF != nil {
			return runF(opts)
		}
		if opts.IDsFrom != "" {
			return bulkRun(cmd.CommandPath(), opts)
		}
		return lookupRun(opts)
	}
	cmd.Flags().IntVar(&opts.FollowMerges, "follow-merges", 0, "follow a merged customer to the one it was merged into, up to `N` times")
	cmd.Flags().StringVar(&opts.IDsFrom, "ids-from", "", "look up every customer id in `FILE` (one a line; - for stdin), printing one JSON line each")
	cmd.Flags().IntVar(&opts.Concurrency, "concurrency", 4, "with --ids-from, run up to `N` lookups at once (1 to 32)")
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
