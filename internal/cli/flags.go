package cli

import "flag"

// parseInterspersed parses flags that may come before or after positional
// arguments (`disconnect ID --delete-data` as well as `disconnect
// --delete-data ID`), which Go's flag package alone does not allow.
func parseInterspersed(fs *flag.FlagSet, args []string) error {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
	return fs.Parse(append([]string{"--"}, positional...))
}
