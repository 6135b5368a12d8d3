// Generates the C# SDK from a package schema, as `pulumi package gen-sdk --language dotnet` would:
// the CLI asks the pulumi-language-dotnet host for that, and the Go module proxy refuses that host's
// module (github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3 answers 403), so this calls the
// C# code generator that github.com/pulumi/pulumi/pkg/v3 still carried at v3.205.0 (codegen/dotnet,
// the one the host was built from before it moved to pulumi-dotnet) directly.
//
// Usage: gen-dotnet-sdk <schema.json> <out dir> [version]
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/pkg/v3/codegen/dotnet"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "gen-dotnet-sdk: %v\n", err)
		os.Exit(1)
	}
}

// The generator downloads the package's logo (schema `logoUrl`; absent, Pulumi's logo from GitHub) for
// the NuGet package icon. The schema has none yet, and generation must not depend on the network: the
// request is answered here with a plain 64x64 square, and no other request is made.
type noNetwork struct{}

func (noNetwork) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != "raw.githubusercontent.com" || filepath.Ext(req.URL.Path) != ".png" {
		return nil, fmt.Errorf("no network access during generation: %s", req.URL)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 64, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 64; x++ {
			img.Set(x, y, color.NRGBA{R: 0xff, G: 0x6a, B: 0x00, A: 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &http.Response{StatusCode: 200, Body: io.NopCloser(&buf), Header: http.Header{}, Request: req}, nil
}

func run(args []string) error {
	http.DefaultTransport = noNetwork{}
	http.DefaultClient.Transport = noNetwork{}
	if len(args) < 2 || len(args) > 3 {
		return fmt.Errorf("usage: gen-dotnet-sdk <schema.json> <out dir> [version]")
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	pkg, diags, err := schema.BindSpec(spec, nil, schema.ValidationOptions{})
	if err != nil {
		return err
	}
	if diags.HasErrors() {
		return diags
	}
	if len(args) == 3 {
		version, err := semver.Parse(args[2])
		if err != nil {
			return fmt.Errorf("invalid version %q: %w", args[2], err)
		}
		pkg.Version = &version
	}
	files, err := dotnet.GeneratePackage("pulumi-language-dotnet", pkg, nil, nil)
	if err != nil {
		return err
	}
	out := args[1]
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}
