package notebook

import (
	"encoding/json"
	"sort"
	"strconv"
)

// ValueKind is the JSON kind of a Value.
type ValueKind uint8

const (
	Null ValueKind = iota
	Bool
	Number
	String
	Array
	Object
)

// Value is a generic JSON value (notebook and cell metadata, JSON outputs).
// Object members keep their file order. Strings longer than MaxKeptText are
// cut and marked Truncated.
type Value struct {
	Kind      ValueKind
	Str       string // string content, or the number's literal text
	Bool      bool
	Items     []*Value // Array
	Keys      []string // Object member names, in order
	Vals      []*Value // Object member values
	Line      int      // file line where the value starts
	Truncated bool
}

// Get follows object member names; it returns nil when a step is missing or
// not an object.
func (v *Value) Get(path ...string) *Value {
	for _, k := range path {
		if v == nil || v.Kind != Object {
			return nil
		}
		var next *Value
		for i := len(v.Keys) - 1; i >= 0; i-- { // the last duplicate wins, as in Python
			if v.Keys[i] == k {
				next = v.Vals[i]
				break
			}
		}
		v = next
	}
	return v
}

// String returns the string content when v is a string.
func (v *Value) String() (string, bool) {
	if v == nil || v.Kind != String {
		return "", false
	}
	return v.Str, true
}

// Int returns the integer value when v is an integral number.
func (v *Value) Int() (int, bool) {
	if v == nil || v.Kind != Number {
		return 0, false
	}
	n, err := strconv.Atoi(v.Str)
	return n, err == nil
}

// Truthy reports whether v is true (booleans) or a non-empty string "true".
func (v *Value) Truthy() bool {
	if v == nil {
		return false
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case String:
		return v.Str == "true" || v.Str == "True"
	}
	return false
}

// Strings calls fn for every string (member names excluded) in v, depth
// first, with a slash-separated JSON path.
func (v *Value) Strings(path string, fn func(path, s string, line int)) {
	if v == nil {
		return
	}
	switch v.Kind {
	case String:
		fn(path, v.Str, v.Line)
	case Array:
		for i, it := range v.Items {
			it.Strings(path+"/"+strconv.Itoa(i), fn)
		}
	case Object:
		for i, k := range v.Keys {
			v.Vals[i].Strings(path+"/"+k, fn)
		}
	}
}

// Any converts v into plain Go values (map[string]any, []any, string,
// float64/json.Number, bool, nil) for encoding.
func (v *Value) Any() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Bool
	case Number:
		return json.Number(v.Str)
	case String:
		return v.Str
	case Array:
		out := make([]any, len(v.Items))
		for i, it := range v.Items {
			out[i] = it.Any()
		}
		return out
	case Object:
		out := make(map[string]any, len(v.Keys))
		for i, k := range v.Keys {
			out[k] = v.Vals[i].Any()
		}
		return out
	}
	return nil
}

// JSON returns a compact encoding of v with sorted keys.
func (v *Value) JSON() string {
	b, err := json.Marshal(v.Any())
	if err != nil {
		return ""
	}
	return string(b)
}

// SortedKeys returns the member names of an object, sorted.
func (v *Value) SortedKeys() []string {
	if v == nil || v.Kind != Object {
		return nil
	}
	ks := append([]string(nil), v.Keys...)
	sort.Strings(ks)
	return ks
}

// MaxValueDepth bounds the nesting of decoded metadata and JSON outputs.
const MaxValueDepth = 200

// readValue decodes any JSON value into a Value.
func (s *scanner) readValue(depth int) (*Value, error) {
	if depth > MaxValueDepth {
		return nil, s.errorf("JSON nested deeper than %d levels", MaxValueDepth)
	}
	v := &Value{Line: s.line}
	switch c := s.skipSpace(); c {
	case '{':
		v.Kind = Object
		err := s.object(func(key string) error {
			m, err := s.readValue(depth + 1)
			if err != nil {
				return err
			}
			v.Keys = append(v.Keys, key)
			v.Vals = append(v.Vals, m)
			return nil
		})
		return v, err
	case '[':
		v.Kind = Array
		err := s.array(func(int) error {
			m, err := s.readValue(depth + 1)
			if err != nil {
				return err
			}
			v.Items = append(v.Items, m)
			return nil
		})
		return v, err
	case '"':
		t, err := s.readString(true, MaxKeptText)
		v.Kind, v.Str, v.Truncated = String, t.text, t.truncated
		return v, err
	case 't', 'f', 'n':
		lit, err := s.readLiteral()
		switch lit {
		case "true":
			v.Kind, v.Bool = Bool, true
		case "false":
			v.Kind = Bool
		}
		return v, err
	default:
		t, err := s.readNumber()
		v.Kind, v.Str = Number, t
		return v, err
	}
}
