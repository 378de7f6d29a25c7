using GatewayStorage.Cli;

return await GatewayStorageCli.RunAsync(args).ConfigureAwait(false);
