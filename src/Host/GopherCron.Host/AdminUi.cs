using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace GopherCron.Host;

/// <summary>
/// Serves the admin web UI (the single-page app built from <c>ui/</c> into <c>admin/</c> beside the host's binary) at
/// <c>/admin</c>, on every replica and in every mode. Client routes fall back to <c>index.html</c>; <c>/</c> redirects
/// to <c>/admin/</c>. Hashed assets are cached for a year, <c>index.html</c> never.
/// </summary>
internal static class AdminUi
{
    public const string Path = "/admin";

    /// <summary>Where the built UI is: <c>admin/</c> beside the host's assembly.</summary>
    public static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "admin");

    public static WebApplication MapAdminUi(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect(Path + "/")).ExcludeFromDescription();
        var index = System.IO.Path.Combine(Folder, "index.html");
        if (!File.Exists(index))
        {
            // A host built without npm still runs its API; the UI's address says why it is not there.
            app.Map(Path + "/{**rest}", () => Results.Problem(
                    "The admin UI was not built into this host: npm was not available when it was built. Install Node.js 20+ and npm, then build the host again (the build runs npm ci and npm run build in ui/).",
                    statusCode: StatusCodes.Status404NotFound, title: "Admin UI not built"))
                .ExcludeFromDescription();
            return app;
        }

        var files = new PhysicalFileProvider(Folder);
        var types = new FileExtensionContentTypeProvider();

        // One endpoint for files and client-side routes (/admin/projects/3/tasks): a file that exists is sent, a path that
        // looks like a file (an extension, or under assets/) and does not exist is a 404, anything else is the app.
        app.MapGet(Path + "/{**route}", (string? route, HttpContext http) =>
        {
            if (http.Request.Path.Value == Path)
            {
                // Routing ignores a trailing slash; the app's relative asset paths need it.
                return Results.Redirect(Path + "/");
            }

            route ??= "";
            var file = route.Length == 0 ? null : files.GetFileInfo(route);
            if (file is { Exists: true, IsDirectory: false, PhysicalPath: not null })
            {
                http.Response.Headers[HeaderNames.CacheControl] = route.StartsWith("assets/", StringComparison.Ordinal)
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
                return Results.File(file.PhysicalPath, types.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream");
            }

            if (route.StartsWith("assets/", StringComparison.Ordinal) || System.IO.Path.HasExtension(route))
            {
                return Results.Problem($"/admin/{route} does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
            }

            http.Response.Headers[HeaderNames.CacheControl] = "no-cache";
            return Results.File(index, "text/html; charset=utf-8");
        }).ExcludeFromDescription();
        return app;
    }
}
