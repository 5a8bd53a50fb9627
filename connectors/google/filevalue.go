package google

import (
	"context"

	"github.com/flowbench/flowbench/connectors/functions"
	"github.com/flowbench/flowbench/engine"
)

// fileInput reads a file input: a Flowbench file value (a Download's File
// Content, stored in the flow file store), a data: URL or text (FileBytes).
func fileInput(ctx context.Context, in engine.Inputs, key string) (data []byte, mediaType string, err error) {
	raw := engine.ToText(in.Values[key])
	if _, ok := functions.FileID(raw); ok {
		f, err := functions.ReadFileValue(ctx, in.Run, key, raw)
		if err != nil {
			return nil, "", err
		}
		return f.Data, f.ContentType, nil
	}
	if data, mediaType, err = FileBytes(raw); err != nil {
		return nil, "", engine.InputErrorf(key, "%v", err)
	}
	return data, mediaType, nil
}
