// Every response the tests get is checked against the OpenAPI document by a JSON Schema validator (networknt).
package dev.meshforge.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finds the operation a response answers (path template and method), requires its status and content type to be
 * documented, and validates a JSON body against the schema the document gives for them, through a JSON pointer
 * into the document so that its {@code $ref}s resolve as any OpenAPI 3.1 tool would resolve them.
 */
final class OpenApiContract {
    static final String ID = "https://meshforge.invalid/v1/openapi.json";
    static final OpenApiContract INSTANCE = load();

    final String text;
    private final JsonNode doc;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(String text) throws IOException {
        this.text = text;
        this.doc = new ObjectMapper().readTree(text);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of(ID, text)));
    }

    private static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/dev/meshforge/server/openapi.json")) {
            return new OpenApiContract(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    void check(HttpResponse<byte[]> r) {
        String method = r.request().method().toLowerCase(Locale.ROOT);
        String path = strip(r.request().uri().getPath());
        String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        String where = method.toUpperCase(Locale.ROOT) + " " + r.request().uri().getPath() + " -> " + r.statusCode();
        String template = null;
        for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            if (path.matches(strip(t).replaceAll("\\{[^}]+}", "[^/]+"))) {
                template = t;
            }
        }
        JsonNode operation = template == null ? null : doc.get("paths").get(template).get(method);
        if (operation == null) {
            // Not a documented operation: the one answer allowed is the 404 problem.
            assertTrue(r.statusCode() == 404, where + " is not in the OpenAPI document");
            validate(where, "#/components/schemas/Problem", r.body());
            return;
        }
        String pointer = "#/paths/" + escape(template) + "/" + method + "/responses/" + r.statusCode();
        JsonNode response = operation.get("responses").get(Integer.toString(r.statusCode()));
        assertNotNull(response, where + ": the status is not documented");
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText();
            response = at(pointer);
        }
        JsonNode content = response.get("content");
        assertNotNull(content, where + ": no content documented");
        assertTrue(content.has(type), where + ": content type " + type + " is not documented");
        if (type.endsWith("json")) {
            validate(where, pointer + "/content/" + escape(type) + "/schema", r.body());
        }
    }

    void validate(String where, String pointer, byte[] body) {
        Schema schema = schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(ID + p
                .replace("{", "%7B").replace("}", "%7D"))));
        List<Error> errors = schema.validate(new String(body, StandardCharsets.UTF_8), InputFormat.JSON);
        if (!errors.isEmpty()) {
            fail(where + " does not match the OpenAPI document (" + pointer + "): " + errors + "\nbody: "
                    + new String(body, StandardCharsets.UTF_8));
        }
    }

    private JsonNode at(String ref) {
        return doc.at(ref.substring(1));
    }

    private static String escape(String segment) {
        return segment.replace("~", "~0").replace("/", "~1");
    }

    private static String strip(String path) {
        return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    }
}
