package app

import (
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/flowbench/flowbench/engine"
)

func init() {
	RegisterCommand((*CLI).cardsCmd)
	RegisterCommand((*CLI).cardCmd)
}

func (c *CLI) cardsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "cards",
		Short: "List the card registry",
		Long:  "List every card type with its Okta names, inputs and outputs (* = required).",
		Example: `  flowbench cards
  flowbench cards --json   # with the input/output JSON Schemas`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			specs := engine.Default().Cards()
			if asJSON {
				docs := make([]engine.SpecDoc, 0, len(specs))
				for _, s := range specs {
					docs = append(docs, s.Doc())
				}
				return c.printJSON(docs)
			}
			sort.SliceStable(specs, func(i, j int) bool { return specs[i].Category < specs[j].Category })
			tw := tabwriter.NewWriter(c.Stdout, 2, 2, 2, ' ', 0)
			fmt.Fprintln(tw, "CATEGORY\tID\tOKTA\tTITLE\tINPUTS → OUTPUTS")
			for _, s := range specs {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s → %s\n", s.Category, s.ID, strings.Join(s.Okta, ","), s.Title, fieldList(s.Inputs, s.ExtensibleInputs), fieldList(s.Outputs, s.ExtensibleOutputs))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the registry with JSON Schemas as JSON")
	return cmd
}

func fieldList(fs []engine.FieldSpec, ext bool) string {
	parts := make([]string, 0, len(fs)+1)
	for _, f := range fs {
		p := f.Key + ":" + f.Type.String()
		if f.Required {
			p += "*"
		}
		parts = append(parts, p)
	}
	if ext {
		parts = append(parts, "…")
	}
	return strings.Join(parts, ", ")
}

func (c *CLI) cardCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "card",
		Short:   "Work with one card type",
		Example: `  flowbench card test text.concat --input '{"a": "x", "b": "y"}'`,
		Args:    cobra.NoArgs,
		RunE:    func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	var input string
	test := &cobra.Command{
		Use:   "test CARD",
		Short: "Run one card on its own",
		Long: `Run one card with the given inputs and print its outputs. CARD is a native id
(text.concat) or an Okta name (string:concat). Cards that need a connection
or a table use the data directory; "connection" in the input names the
connection (its id, as flowbench connection list shows).`,
		Example: `  flowbench card test text.concat --input '{"a": "x", "b": "y"}'
  flowbench card test string:concat --input @inputs.json
  flowbench card test okta.readUser --input '{"connection": "prod", "ID or Login": "jane@acme.com"}'`,
		Args: exactArgs(1, "one card id"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			in, err := inputObject("card test --input", input)
			if err != nil {
				return err
			}
			ex := engine.NewExecutor(nil, nil, nil)
			if spec, ok := engine.Default().Card(args[0]); ok && (spec.Connection != "" || spec.App == "tables") {
				a, err := c.open(ctx, c.dataDir, false)
				if err != nil {
					return err
				}
				defer a.close()
				ex = a.Exec
			}
			out, err := engine.TestCard(ctx, ex, args[0], in)
			if err != nil {
				return err
			}
			return c.printJSON(out)
		},
	}
	test.Flags().StringVar(&input, "input", "{}", "inputs as a JSON object, or @FILE")
	cmd.AddCommand(test)
	return cmd
}
