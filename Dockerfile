# syntax=docker/dockerfile:1

# Build stage: restore with only the project files first so the package layer is cached across code changes.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ThreatIntel.Core/ThreatIntel.Core.csproj src/ThreatIntel.Core/
COPY src/ThreatIntel.Infrastructure/ThreatIntel.Infrastructure.csproj src/ThreatIntel.Infrastructure/
COPY src/ThreatIntel.Migrations.Sqlite/ThreatIntel.Migrations.Sqlite.csproj src/ThreatIntel.Migrations.Sqlite/
COPY src/ThreatIntel.Migrations.SqlServer/ThreatIntel.Migrations.SqlServer.csproj src/ThreatIntel.Migrations.SqlServer/
COPY src/ThreatIntel.Api/ThreatIntel.Api.csproj src/ThreatIntel.Api/
RUN dotnet restore src/ThreatIntel.Api/ThreatIntel.Api.csproj
COPY src/ src/
RUN dotnet publish src/ThreatIntel.Api/ThreatIntel.Api.csproj --configuration Release --no-restore --output /app

# Runtime stage: the ASP.NET Core runtime only, running as the image's unprivileged 'app' user.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
RUN apt-get update \
    && apt-get install --yes --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
VOLUME /app/data

ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__ThreatIntel="Data Source=/app/data/threatintel.db"
EXPOSE 8080
USER $APP_UID

HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD curl --fail --silent http://localhost:8080/health/ready || exit 1

ENTRYPOINT ["dotnet", "ThreatIntel.Api.dll"]
