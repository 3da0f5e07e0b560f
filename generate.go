package omeda

// The contract is written by hand under api/; everything below is derived from it.
//go:generate go run ./internal/cmd/bundle -o openapi.yaml api/openapi.yaml
//go:generate go tool -modfile=tools/go.mod oapi-codegen -config oapi-codegen.yaml openapi.yaml
