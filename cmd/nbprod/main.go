// Command nbprod finds what stops a Jupyter notebook from going to
// production and (later) writes the production code.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], systemIO()))
}
