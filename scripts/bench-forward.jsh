// Forward-pass benchmark (issue 5): the machine's fp32 matmul rate, the forward rate of a
// ViT-B shaped M2D with random weights, and the overhead of caching or hooking every
// blocks.*.mlp.hook_post. Usage: ./workbench run scripts/bench-forward.jsh [BATCH [ROUNDS]]
int batch = args.length > 0 ? Integer.parseInt(args[0]) : 2;
int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
System.out.print(io.anw.model.ForwardBenchmark.run(batch, rounds).report());
