// hello.jsh -- a first workbench script: versions, a Tablesaw table, an XChart plot.
// Run it with:  ./workbench run scripts/hello.jsh [OUTDIR]     (default OUTDIR: out)

String outDir = args.length > 0 ? args[0] : "out";
System.out.println(WB.versions());

// A small table in the workbench's column names: per-layer counts of class-specific neurons.
int[] layers = {0, 1, 2, 3, 4, 5};
int[] neurons = {3, 5, 8, 13, 21, 34};
Table perLayer = Table.create("class-specific neurons per layer",
    IntColumn.create("layer", layers),
    IntColumn.create("neurons", neurons));
WB.show(perLayer);

// The same numbers as a bar chart, saved as a PNG.
CategoryChart chart = new CategoryChartBuilder().width(640).height(400)
    .title("Neurons per layer").xAxisTitle("layer").yAxisTitle("neurons").build();
chart.getStyler().setLegendVisible(false);
chart.addSeries("neurons", Arrays.stream(layers).boxed().toList(),
    Arrays.stream(neurons).boxed().toList());
Path png = WB.savePlot(chart, outDir + "/hello-neurons-per-layer.png");
System.out.println("plot: " + png);
