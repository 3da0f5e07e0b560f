package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

const rootDoc = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a/*:
    $ref: 'a.yaml#/paths/~1a~1*'
components:
  securitySchemes:
    Key:
      $ref: 'shared.yaml#/components/securitySchemes/Key'
`

const sharedDoc = `openapi: 3.0.3
info: {title: s, version: "1"}
paths: {}
components:
  securitySchemes:
    Key: {type: apiKey, in: header, name: x-key}
  schemas:
    Zeta: {type: string}
    Alpha:
      type: object
      properties:
        z: {$ref: '#/components/schemas/Zeta'}
    Unused: {type: integer}
`

const endpointDoc = `openapi: 3.0.3
info: {title: a, version: "1"}
paths:
  /a/*:
    get:
      security:
        - Key: []
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Local'}
components:
  securitySchemes:
    Key: {$ref: 'shared.yaml#/components/securitySchemes/Key'}
  schemas:
    Local:
      type: object
      properties:
        a: {$ref: 'shared.yaml#/components/schemas/Alpha'}
`

func TestBundleInlinesPathsAndCopiesReferencedComponents(t *testing.T) {
	dir := writeFiles(t, map[string]string{"root.yaml": rootDoc, "shared.yaml": sharedDoc, "a.yaml": endpointDoc})
	out, err := Bundle(filepath.Join(dir, "root.yaml"))
	require.NoError(t, err)
	text := string(out)

	assert.True(t, strings.HasPrefix(text, header), "starts with the generated-file header")
	assert.NotContains(t, text, ".yaml#", "no reference leaves the file")
	assert.NotContains(t, text, "Unused", "components nothing refers to stay out")
	for _, want := range []string{
		"$ref: '#/components/schemas/Local'",
		"$ref: '#/components/schemas/Alpha'",
		"$ref: '#/components/schemas/Zeta'",
		"name: x-key",
	} {
		assert.Contains(t, text, want)
	}
	// The authors' key order survives; components come sorted by kind, then by name.
	order := []string{"openapi:", "info:", "paths:", "components:", "  schemas:", "    Alpha:", "    Local:", "    Zeta:", "  securitySchemes:"}
	last := -1
	for _, key := range order {
		i := strings.Index(text, "\n"+key)
		require.Greater(t, i, last, "%q comes after the previous key", key)
		last = i
	}
}

func TestBundleRefusesConflictsAndForeignReferences(t *testing.T) {
	t.Run("a name defined in two files", func(t *testing.T) {
		other := strings.Replace(endpointDoc, "a: {$ref: 'shared.yaml#/components/schemas/Alpha'}", "a: {$ref: '#/components/schemas/Zeta'}", 1) +
			"    Zeta: {type: integer}\n"
		other = strings.Replace(other, "schema: {$ref: '#/components/schemas/Local'}", "schema: {$ref: 'shared.yaml#/components/schemas/Alpha'}\n            x: {$ref: '#/components/schemas/Local'}", 1)
		dir := writeFiles(t, map[string]string{"root.yaml": rootDoc, "shared.yaml": sharedDoc, "a.yaml": other})
		_, err := Bundle(filepath.Join(dir, "root.yaml"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "components/schemas/Zeta is defined both in")
	})
	t.Run("a reference to something that is not a component", func(t *testing.T) {
		bad := strings.Replace(endpointDoc, "'#/components/schemas/Local'", "'#/paths/~1a~1*/get'", 1)
		dir := writeFiles(t, map[string]string{"root.yaml": rootDoc, "shared.yaml": sharedDoc, "a.yaml": bad})
		_, err := Bundle(filepath.Join(dir, "root.yaml"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "does not name a component")
	})
	t.Run("a reference to a missing component", func(t *testing.T) {
		bad := strings.Replace(endpointDoc, "schemas/Alpha", "schemas/Beta", 1)
		dir := writeFiles(t, map[string]string{"root.yaml": rootDoc, "shared.yaml": sharedDoc, "a.yaml": bad})
		_, err := Bundle(filepath.Join(dir, "root.yaml"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "no such node")
	})
	t.Run("a remote reference", func(t *testing.T) {
		bad := strings.Replace(endpointDoc, "shared.yaml#/components/schemas/Alpha", "https://example.com/x.yaml#/components/schemas/Alpha", 1)
		dir := writeFiles(t, map[string]string{"root.yaml": rootDoc, "shared.yaml": sharedDoc, "a.yaml": bad})
		_, err := Bundle(filepath.Join(dir, "root.yaml"))
		require.Error(t, err)
		assert.Contains(t, err.Error(), "remote reference")
	})
}

// TestBundleIsCurrent is the quick form of make check-generated for the contract itself.
func TestBundleIsCurrent(t *testing.T) {
	want, err := Bundle("../../../api/openapi.yaml")
	require.NoError(t, err)
	got, err := os.ReadFile("../../../openapi.yaml")
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "openapi.yaml is stale: run go generate ./...")
}
