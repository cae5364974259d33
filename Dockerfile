# syntax=docker/dockerfile:1
# Two images from one build:
#   docker build -t gophercron .                      the host (default target): embedded mode by default
#                                                     (SQLite in /app/data, built-in agent); cluster mode via
#                                                     Database__Provider / Database__ConnectionString / Etcd__Endpoints
#   docker build -t gophercron-agent --target agent .  the standalone agent

# The admin web UI (ui/, React + Vite), built once with Node; the host serves it at /admin.
FROM node:20-bookworm-slim AS ui
WORKDIR /ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the restore layer is cached across source edits.
COPY global.json Directory.Build.props Directory.Packages.props GopherCron.slnx ./
COPY build/ build/
COPY src/Agent/GopherCron.Agent/GopherCron.Agent.csproj src/Agent/GopherCron.Agent/
COPY src/Agent/GopherCron.Agent.Protocol/GopherCron.Agent.Protocol.csproj src/Agent/GopherCron.Agent.Protocol/
COPY src/Agent/GopherCron.Agent.Service/GopherCron.Agent.Service.csproj src/Agent/GopherCron.Agent.Service/
COPY src/Host/GopherCron.Host/GopherCron.Host.csproj src/Host/GopherCron.Host/
COPY src/Host/GopherCron.ServiceDefaults/GopherCron.ServiceDefaults.csproj src/Host/GopherCron.ServiceDefaults/
COPY src/Modules/GopherCron.Modules.Shared/GopherCron.Modules.Shared.csproj src/Modules/GopherCron.Modules.Shared/
COPY src/Modules/GopherCron.Modules.Users/GopherCron.Modules.Users.csproj src/Modules/GopherCron.Modules.Users/
COPY src/Modules/GopherCron.Modules.Users.Contracts/GopherCron.Modules.Users.Contracts.csproj src/Modules/GopherCron.Modules.Users.Contracts/
COPY src/Modules/GopherCron.Modules.Projects/GopherCron.Modules.Projects.csproj src/Modules/GopherCron.Modules.Projects/
COPY src/Modules/GopherCron.Modules.Projects.Contracts/GopherCron.Modules.Projects.Contracts.csproj src/Modules/GopherCron.Modules.Projects.Contracts/
COPY src/Modules/GopherCron.Modules.Tasks/GopherCron.Modules.Tasks.csproj src/Modules/GopherCron.Modules.Tasks/
COPY src/Modules/GopherCron.Modules.Tasks.Contracts/GopherCron.Modules.Tasks.Contracts.csproj src/Modules/GopherCron.Modules.Tasks.Contracts/
COPY src/Modules/GopherCron.Modules.Logs/GopherCron.Modules.Logs.csproj src/Modules/GopherCron.Modules.Logs/
COPY src/Modules/GopherCron.Modules.Logs.Contracts/GopherCron.Modules.Logs.Contracts.csproj src/Modules/GopherCron.Modules.Logs.Contracts/
COPY src/Modules/GopherCron.Modules.Reporting/GopherCron.Modules.Reporting.csproj src/Modules/GopherCron.Modules.Reporting/
COPY src/Plugins/GopherCron.Plugins.Abstractions/GopherCron.Plugins.Abstractions.csproj src/Plugins/GopherCron.Plugins.Abstractions/
COPY src/Plugins/GopherCron.Plugins.Shell/GopherCron.Plugins.Shell.csproj src/Plugins/GopherCron.Plugins.Shell/
COPY src/Plugins/GopherCron.Plugins.Http/GopherCron.Plugins.Http.csproj src/Plugins/GopherCron.Plugins.Http/
COPY src/Plugins/GopherCron.Plugins.Sql/GopherCron.Plugins.Sql.csproj src/Plugins/GopherCron.Plugins.Sql/
COPY src/Plugins/GopherCron.Plugins.Container/GopherCron.Plugins.Container.csproj src/Plugins/GopherCron.Plugins.Container/
RUN dotnet restore src/Host/GopherCron.Host/GopherCron.Host.csproj \
 && dotnet restore src/Agent/GopherCron.Agent.Service/GopherCron.Agent.Service.csproj
COPY src/ src/
# The UI built in the Node stage: the host's publish copies ui/dist into admin/ (build/AdminUi.targets; no npm here).
COPY --from=ui /ui/dist ui/dist/
# Publishing also lays out plugins/<name>/ beside each binary (build/Plugin.targets).
RUN dotnet publish src/Host/GopherCron.Host/GopherCron.Host.csproj -c Release --no-restore -o /out/host \
 && dotnet publish src/Agent/GopherCron.Agent.Service/GopherCron.Agent.Service.csproj -c Release --no-restore -o /out/agent

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS agent
# util-linux provides setsid, which puts each shell run in its own process group.
RUN apt-get update \
 && apt-get install -y --no-install-recommends util-linux \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/agent ./
USER $APP_UID
ENV DOTNET_ENVIRONMENT=Production
# The agent dials out (Agent__Hosts__0=http://host:6307); it listens on nothing, so its health is its process.
ENTRYPOINT ["dotnet", "gophercron-agent.dll"]

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS host
# curl for the health check; util-linux provides setsid, which puts each shell run in its own process group.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl util-linux \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out/host ./
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
USER $APP_UID
VOLUME /app/data
EXPOSE 6306 6307
ENV DOTNET_ENVIRONMENT=Production
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:6306/health/ready || exit 1
ENTRYPOINT ["dotnet", "GopherCron.Host.dll", "--urls", "http://0.0.0.0:6306"]
