# One image for every TsnSim process: the tsnsim command (the default entry point), the node
# service and the coordinator. docker-compose.yml (made by `tsnsim compose`) starts the same
# image several times with a different entry point each.
#
#   docker build -t tsnsim:latest .
#   docker run --rm tsnsim:latest run /topologies/line.yaml

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Set by BuildKit for the platform being built; the ReadyToRun images below are per architecture.
ARG TARGETARCH
WORKDIR /src

# Restore from the project files alone, so that editing a .cs file reuses the restored layer.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/TsnSim.Core/TsnSim.Core.csproj src/TsnSim.Core/
COPY src/TsnSim.Protos/TsnSim.Protos.csproj src/TsnSim.Protos/
COPY src/TsnSim.Hosting/TsnSim.Hosting.csproj src/TsnSim.Hosting/
COPY src/TsnSim.Node/TsnSim.Node.csproj src/TsnSim.Node/
COPY src/TsnSim.Coordinator/TsnSim.Coordinator.csproj src/TsnSim.Coordinator/
COPY src/TsnSim.Cli/TsnSim.Cli.csproj src/TsnSim.Cli/
RUN rid=$(case "$TARGETARCH" in arm64) echo linux-arm64;; *) echo linux-x64;; esac) \
 && dotnet restore src/TsnSim.Node/TsnSim.Node.csproj -r "$rid" -p:PublishReadyToRun=true \
 && dotnet restore src/TsnSim.Coordinator/TsnSim.Coordinator.csproj -r "$rid" -p:PublishReadyToRun=true \
 && dotnet restore src/TsnSim.Cli/TsnSim.Cli.csproj -r "$rid" -p:PublishReadyToRun=true

COPY protos/ protos/
COPY src/ src/

# All three into one folder: they share TsnSim.Core and every package at the one version
# Directory.Packages.props pins, so no file of one overwrites a different version of another's.
# No apphost: the processes are started as `dotnet X.dll`. ReadyToRun, as ./tsnsim builds it:
# node processes start with precompiled code and keep it (see TsnSim.Node.csproj).
RUN rid=$(case "$TARGETARCH" in arm64) echo linux-arm64;; *) echo linux-x64;; esac) \
 && dotnet publish src/TsnSim.Node/TsnSim.Node.csproj -c Release --no-restore -r "$rid" --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false -o /out \
 && dotnet publish src/TsnSim.Coordinator/TsnSim.Coordinator.csproj -c Release --no-restore -r "$rid" --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false -o /out \
 && dotnet publish src/TsnSim.Cli/TsnSim.Cli.csproj -c Release --no-restore -r "$rid" --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false -o /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /out /app
# The examples, so that `docker run IMAGE run /topologies/line.yaml` works without a volume;
# compose mounts the host's topologies/ over them, so edits there need no rebuild.
COPY topologies/ /topologies/

# The coordinator writes its report here; compose mounts ./reports over it.
RUN mkdir -p /reports && chown "$APP_UID" /reports

# The base image's unprivileged 'app' user (APP_UID is set by the image).
USER $APP_UID

# 50050: the coordinator's gRPC port; 50051: a node's gRPC port.
EXPOSE 50050 50051
ENTRYPOINT ["dotnet", "/app/tsnsim.dll"]
