using Kabinet.Bench;

return await BenchCommand.RunAsync(args);
