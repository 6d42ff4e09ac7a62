#!/usr/bin/env bash
# Vendor the dashboard's browser libraries from the npm registry into warmonitor/web/vendor, with
# their licences. Versions are pinned by warmonitor/web/package.json and package-lock.json; the
# result is committed, so installing or testing warmonitor never needs npm or a network.
#   scripts/vendor_web.sh        (needs node and npm; run after changing package.json)
set -euo pipefail
cd "$(dirname "$0")/.."
web=warmonitor/web
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$web/package.json" "$web/package-lock.json" "$work/"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
modules=$work/node_modules
out=$web/vendor
rm -rf "$out"
mkdir -p "$out"/{leaflet/images,leaflet.markercluster,uplot,swagger-ui,world-atlas,topojson-client}
cp "$modules"/leaflet/dist/{leaflet.js,leaflet.css} "$modules"/leaflet/LICENSE "$out/leaflet/"
cp "$modules"/leaflet/dist/images/* "$out/leaflet/images/"
cp "$modules"/leaflet.markercluster/dist/{leaflet.markercluster.js,MarkerCluster.css,MarkerCluster.Default.css} \
   "$modules"/leaflet.markercluster/MIT-LICENCE.txt "$out/leaflet.markercluster/"
cp "$modules"/uplot/dist/{uPlot.iife.min.js,uPlot.min.css} "$modules"/uplot/LICENSE "$out/uplot/"
cp "$modules"/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} "$out/swagger-ui/"
cp "$modules"/world-atlas/{countries-110m.json,LICENSE} "$out/world-atlas/"
cp "$modules"/topojson-client/dist/topojson-client.min.js "$modules"/topojson-client/LICENSE "$out/topojson-client/"
for package in leaflet leaflet.markercluster uplot swagger-ui-dist world-atlas topojson-client; do
  node -e 'const p=require(process.argv[1]); console.log(`${p.name} ${p.version} ${p.license}`)' \
    "$modules/$package/package.json"
done > "$out/VERSIONS.txt"
echo "vendored into $out:"; cat "$out/VERSIONS.txt"
