package facts

import (
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// pyName normalises an identifier as Python does (PEP 3131: NFKC), so
// `𝜋` and `π` are the same name.
func pyName(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return norm.NFKC.String(s)
		}
	}
	return s
}

// builtins are CPython 3.11's dir(builtins) plus the module dunders the
// oracle ignores.
var builtins = setOf(`ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup
BlockingIOError BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError
ConnectionError ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis
EncodingWarning EnvironmentError Exception ExceptionGroup False FileExistsError FileNotFoundError
FloatingPointError FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError
IndexError InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
ModuleNotFoundError NameError None NotADirectoryError NotImplemented NotImplementedError OSError
OverflowError PendingDeprecationWarning PermissionError ProcessLookupError RecursionError
ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration
SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError True TypeError
UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __build_class__ __debug__ __doc__
__import__ __loader__ __name__ __package__ __spec__ abs aiter all anext any ascii bin bool
breakpoint bytearray bytes callable chr classmethod compile complex copyright credits delattr dict
dir divmod enumerate eval exec exit filter float format frozenset getattr globals hasattr hash help
hex id input int isinstance issubclass iter len license list locals map max memoryview min next
object oct open ord pow print property quit range repr reversed round set setattr slice sorted
staticmethod str sum super tuple type vars zip
__file__ __builtins__ __annotations__ __dict__`)

// ipythonNames are globals IPython injects into the user namespace.
var ipythonNames = setOf(`get_ipython display In Out exit quit _ __ ___ _i _ii _iii _ih _oh _dh __ipy_timeit__`)

func setOf(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// IsBuiltin reports a Python builtin (or module dunder).
func IsBuiltin(name string) bool { return builtins[name] }

// IsIPythonName reports a name IPython provides: In, Out, _, _3, _i3, …
func IsIPythonName(name string) bool {
	return ipythonNames[name] || isHistoryName(name)
}

// isHistoryName matches _N and _iN output/input history names.
func isHistoryName(name string) bool {
	if len(name) < 2 || name[0] != '_' {
		return false
	}
	s := name[1:]
	if s[0] == 'i' {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ignorable names never count as uses (the oracle's rule F).
func ignorable(name string) bool { return builtins[name] || IsIPythonName(name) }

// orderedSet keeps first-occurrence order.
type orderedSet struct {
	items []string
	seen  map[string]bool
}

func (s *orderedSet) add(x string) bool {
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[x] {
		return false
	}
	s.seen[x] = true
	s.items = append(s.items, x)
	return true
}

func (s *orderedSet) has(x string) bool { return s.seen[x] }

// sortedCopy returns the names sorted.
func sortedCopy(xs []string) []string {
	out := append([]string(nil), xs...)
	sort.Strings(out)
	return out
}
