package google

import (
	"bytes"
	"context"
	"fmt"

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

// downloadedFile is a downloaded file's value: stored in the flow file store
// when the executor has one (History then shows the file's name, type and
// size, not its bytes), else the content inline (FileValue).
func downloadedFile(ctx context.Context, in engine.Inputs, name string, data []byte, mediaType string) (string, error) {
	if _, err := functions.Files(in.Run); err != nil {
		return FileValue(data, mediaType), nil
	}
	m, err := functions.SaveFile(ctx, in.Run, name, mediaType, bytes.NewReader(data))
	if err != nil {
		return "", fmt.Errorf("store the downloaded file: %w", err)
	}
	return functions.FileValue(m), nil
}
