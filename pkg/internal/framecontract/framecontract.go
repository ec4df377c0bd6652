// Package framecontract reads the frame contract in tests/fixtures/datasource/ (shared with the
// TypeScript side, tests/fixtures/datasource/describe.ts) and describes SDK frames in its JSON form:
// times as epoch milliseconds, missing values null, a zero mapping index left out.
package framecontract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
)

// Case is one entry of cases.json.
type Case struct {
	Name   string          `json:"name"`
	Query  json.RawMessage `json:"query"`
	Path   string          `json:"path"`
	Answer string          `json:"answer"`
	Frame  string          `json:"frame"`
}

// Description is a frame as plain JSON.
type Description struct {
	RefID  string         `json:"refId"`
	Name   string         `json:"name"`
	Meta   map[string]any `json:"meta"`
	Length int            `json:"length"`
	Fields []Field        `json:"fields"`
}

// Field is one described field.
type Field struct {
	Name   string         `json:"name"`
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
	Values []any          `json:"values"`
}

// Dir is tests/fixtures/datasource in the repository this package is in.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "tests", "fixtures", "datasource")
}

// Cases reads cases.json.
func Cases() ([]Case, error) {
	var file struct {
		Cases []Case `json:"cases"`
	}
	raw, err := os.ReadFile(filepath.Join(Dir(), "cases.json"))
	if err != nil {
		return nil, err
	}
	return file.Cases, json.Unmarshal(raw, &file)
}

// Read returns a file under Dir().
func Read(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(Dir(), name))
}

// Expected reads a committed frame description, normalised as Describe output is.
func Expected(name string) (any, error) {
	raw, err := Read(name)
	if err != nil {
		return nil, err
	}
	var description any
	return description, json.Unmarshal(raw, &description)
}

// Describe gives the frame's description as generic JSON (so it compares with Expected by value).
func Describe(frame *data.Frame) (any, error) {
	description := Description{RefID: frame.RefID, Name: frame.Name, Fields: []Field{}}
	length, _ := frame.RowLen()
	description.Length = length
	if frame.Meta != nil {
		meta, err := toMap(frame.Meta)
		if err != nil {
			return nil, err
		}
		// The SDK always writes typeVersion; [0,0] says nothing and the frontend never set it.
		if version, ok := meta["typeVersion"].([]any); ok && len(version) == 2 && version[0] == 0.0 && version[1] == 0.0 {
			delete(meta, "typeVersion")
		}
		description.Meta = meta
	}
	for _, field := range frame.Fields {
		described, err := describeField(field)
		if err != nil {
			return nil, err
		}
		description.Fields = append(description.Fields, described)
	}
	var generic any
	encoded, err := json.Marshal(description)
	if err != nil {
		return nil, err
	}
	return generic, json.Unmarshal(encoded, &generic)
}

func describeField(field *data.Field) (Field, error) {
	described := Field{Name: field.Name, Type: typeName(field.Type()), Config: map[string]any{}, Values: []any{}}
	if field.Config != nil {
		config, err := toMap(field.Config)
		if err != nil {
			return described, err
		}
		described.Config = config
	}
	for i := 0; i < field.Len(); i++ {
		value, ok := field.ConcreteAt(i)
		if !ok {
			described.Values = append(described.Values, nil)
			continue
		}
		if t, isTime := value.(time.Time); isTime {
			value = t.UnixMilli()
		}
		described.Values = append(described.Values, value)
	}
	return described, nil
}

func typeName(t data.FieldType) string {
	switch {
	case t.Time():
		return "time"
	case t.Numeric():
		return "number"
	case t == data.FieldTypeBool || t == data.FieldTypeNullableBool:
		return "boolean"
	case t == data.FieldTypeString || t == data.FieldTypeNullableString:
		return "string"
	default:
		return fmt.Sprintf("unsupported:%s", t)
	}
}

func toMap(value any) (map[string]any, error) {
	encoded, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	return out, json.Unmarshal(encoded, &out)
}
