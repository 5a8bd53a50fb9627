package temporal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// Payload encryption. A workflow's input (the trigger's values), every
// activity's input and result (card inputs and outputs: a secret output,
// a password handed to Set Password), child workflows' arguments, the
// history records posted back and the workflow's result are kept by the
// Temporal server in its history. They are encrypted on the serve node and
// the workers before they leave the process (AES-256-GCM, a key derived
// from the worker token they share), so the cluster, its database and
// whoever reads its history (temporal workflow show, the Web UI) see none
// of a run's values; error messages and stack traces are encrypted too.

// encodingEncrypted marks an encrypted payload (its metadata "encoding").
const encodingEncrypted = "binary/flowbench-encrypted"

// PayloadKey derives the payload key from the worker token; "" gives nil
// (payloads in clear, as with a cluster no worker token guards).
func PayloadKey(workerToken string) []byte {
	if workerToken == "" {
		return nil
	}
	sum := sha256.Sum256([]byte("flowbench temporal payloads\x00" + workerToken))
	return sum[:]
}

type encryptCodec struct{ aead cipher.AEAD }

func newEncryptCodec(key []byte) (*encryptCodec, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &encryptCodec{aead: aead}, nil
}

// Encode encrypts each payload whole (metadata and data).
func (c *encryptCodec) Encode(ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(ps))
	for i, p := range ps {
		plain, err := p.Marshal()
		if err != nil {
			return nil, err
		}
		nonce := make([]byte, c.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return nil, err
		}
		out[i] = &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(encodingEncrypted)},
			Data: c.aead.Seal(nonce, nonce, plain, nil)}
	}
	return out, nil
}

// Decode decrypts encrypted payloads; others pass as they are (histories
// of workflows started before payloads were encrypted).
func (c *encryptCodec) Decode(ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(ps))
	for i, p := range ps {
		if string(p.GetMetadata()[converter.MetadataEncoding]) != encodingEncrypted {
			out[i] = p
			continue
		}
		n := c.aead.NonceSize()
		if len(p.Data) < n {
			return nil, errors.New("encrypted payload too short")
		}
		plain, err := c.aead.Open(nil, p.Data[:n], p.Data[n:], nil)
		if err != nil {
			return nil, errors.New("an encrypted payload does not open with this worker token's key: serve, workers and `run --temporal` need the same worker token")
		}
		var q commonpb.Payload
		if err := q.Unmarshal(plain); err != nil {
			return nil, fmt.Errorf("encrypted payload: %w", err)
		}
		out[i] = &q
	}
	return out, nil
}

// noKeyCodec is the codec without a key: payloads go in clear, and an
// encrypted one is refused with what to do.
type noKeyCodec struct{}

func (noKeyCodec) Encode(ps []*commonpb.Payload) ([]*commonpb.Payload, error) { return ps, nil }

func (noKeyCodec) Decode(ps []*commonpb.Payload) ([]*commonpb.Payload, error) {
	for _, p := range ps {
		if string(p.GetMetadata()[converter.MetadataEncoding]) == encodingEncrypted {
			return nil, errors.New("the workers encrypt payloads with their worker token: give this process the same token ($FLOWBENCH_WORKER_TOKEN)")
		}
	}
	return ps, nil
}

// DataConverter is the data converter of a client or replayer with the
// payload key (nil: payloads in clear).
func DataConverter(key []byte) (converter.DataConverter, error) {
	var codec converter.PayloadCodec = noKeyCodec{}
	if key != nil {
		c, err := newEncryptCodec(key)
		if err != nil {
			return nil, err
		}
		codec = c
	}
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), codec), nil
}

// FailureConverter encodes error messages and stack traces with dc.
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{DataConverter: dc, EncodeCommonAttributes: true})
}
