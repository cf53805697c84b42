package medgen;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.r5.context.IWorkerContext;
import org.hl7.fhir.r5.elementmodel.Manager.FhirFormat;
import org.hl7.fhir.r5.utils.validation.ValidatorSession;
import org.hl7.fhir.r5.utils.validation.constants.ReferenceValidationPolicy;
import org.hl7.fhir.utilities.validation.ValidationMessage;
import org.hl7.fhir.validation.ValidatorSettings;
import org.hl7.fhir.validation.instance.InstanceValidator;
import org.hl7.fhir.validation.instance.advisor.BasePolicyAdvisorForFullValidation;
import org.hl7.fhir.validation.service.model.InstanceValidatorParameters;

/**
 * The reference harness of issue #14: the HL7 validator's engine (org.hl7.fhir.validation InstanceValidator) on
 * FHIR R4, offline over HAPI's validation support chain, answering one JSON line per resource so that one JVM
 * validates a whole corpus.
 *
 * <pre>java -jar reference-validator.jar [-extension any|domain]... [file | folder | -]...</pre>
 * A file is one resource, JSON or XML (a Bundle is validated whole), except *.ndjson: one resource per line.
 * A folder is walked for *.json and *.ndjson. "-" reads NDJSON from stdin. An NDJSON line is either a resource
 * (its id is "file:line", or "stdin:line") or {@code key<TAB>resource} (its id is the key): the resource text
 * reaches the validator byte for byte, so line/col, duplicate keys and number spellings are the caller's own.
 * Each answer: {"id", "issues": [{severity, code, expression, line, col, message, messageId}]}.
 * "-extension" is the CLI's option: "any" accepts extensions whose definition is unknown, a URL prefix those in it.
 *
 * Why not HAPI's FhirInstanceValidator around the same chain: it builds a new InstanceValidator for every resource
 * (over half of each call went to re-reading the engine's OID table), and it departs from the CLI (a Gson
 * pre-parse, unknown code systems and profiles as errors, filtered messages). Here the engine is configured as
 * the CLI configures it, from the CLI's own parameter defaults (InstanceValidatorParameters).
 */
public final class ReferenceValidator {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
  // The engine keeps every coding it sees until it is dropped (CodingsObserver), so a long run would grow without
  // bound; a fresh one every so many resources bounds memory at a negligible cost.
  private static final int RESOURCES_PER_ENGINE = 500;
  private final IWorkerContext worker;
  private final InstanceValidatorParameters parameters;
  private final PrintStream out;
  private InstanceValidator engine;
  private int validated;

  private ReferenceValidator(InstanceValidatorParameters parameters, PrintStream out) {
    FhirContext context = FhirContext.forR4();
    // No terminology server, no resource fetcher: the R4 core definitions and the code systems HAPI knows
    // natively. The chain caches lookups itself since HAPI 8.0 (CachingValidationSupport is a no-op there).
    ValidationSupportChain chain = new ValidationSupportChain(
        new DefaultProfileValidationSupport(context),
        new InMemoryTerminologyServerValidationSupport(context),
        new CommonCodeSystemsTerminologyService(context),
        new SnapshotGeneratingValidationSupport(context));
    this.worker = WorkerContextValidationSupportAdapter.newVersionSpecificWorkerContextWrapper(chain);
    this.parameters = parameters;
    this.out = out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: java -jar reference-validator.jar [-extension any|domain]... [file | folder | -]...");
      System.exit(2);
    }
    InstanceValidatorParameters parameters = new InstanceValidatorParameters();
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("-extension") && i + 1 < args.length) {
        parameters.getExtensions().add(args[++i]);
      } else {
        inputs.add(args[i]);
      }
    }
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    // Answers own stdout: anything the engine or its libraries print goes to stderr instead.
    System.setOut(System.err);
    ReferenceValidator validator = new ReferenceValidator(parameters, out);
    for (String input : inputs) {
      if (input.equals("-")) {
        validator.lines(System.in, "stdin:");
      } else {
        validator.path(Path.of(input));
      }
    }
  }

  private void path(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      file(path);
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(path)) {
      files = walk.filter(p -> Files.isRegularFile(p) && p.toString().matches(".*\\.(json|ndjson)$")).sorted().toList();
    }
    for (Path file : files) file(file);
  }

  /** A file that cannot be read still gets its answer line, so callers can count one line per input. */
  private void file(Path file) {
    try {
      if (file.toString().endsWith(".ndjson")) {
        try (InputStream in = Files.newInputStream(file)) {
          lines(in, file + ":");
        }
      } else {
        // Decoded leniently (bad UTF-8 becomes U+FFFD) so that bytes alone never stop the run.
        answer(file.toString(), new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      answer(file.toString(), fatal("exception", "cannot read: " + e));
    }
  }

  private void lines(InputStream in, String prefix) throws IOException {
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    int number = 0;
    for (String line; (line = reader.readLine()) != null; ) {
      number++;
      if (line.isBlank()) continue;
      int tab = line.startsWith("{") ? -1 : line.indexOf('\t');
      if (tab < 0) {
        answer(prefix + number, line);
      } else {
        answer(line.substring(0, tab), line.substring(tab + 1));
      }
    }
  }

  private void answer(String id, String text) {
    // As the CLI reads a file: without its BOM (FileUtilities).
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    if (text.isBlank()) {
      answer(id, fatal("invalid", "empty input"));
      return;
    }
    JsonArray issues = new JsonArray();
    try {
      List<ValidationMessage> messages = new ArrayList<>();
      FhirFormat format = text.stripLeading().startsWith("<") ? FhirFormat.XML : FhirFormat.JSON;
      engine().validate(null, messages, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), format);
      // The CLI drops repeated messages the same way (ValidatorUtils.removeDuplicates).
      for (ValidationMessage m : new LinkedHashSet<>(messages)) issues.add(issue(m));
    } catch (RuntimeException | StackOverflowError e) {
      // A crash on one input (deep nesting overflows the engine's recursive parser) must not end the run.
      issues = fatal("exception", e.toString());
    }
    answer(id, issues);
  }

  /** The engine as the CLI's ValidationEngine.getValidator() sets it up, minus its fetcher (see the README). */
  private InstanceValidator engine() {
    if (engine == null || validated == RESOURCES_PER_ENGINE) {
      ValidatorSession session = new ValidatorSession();
      // Checking an extension's context asks for the definitions of "4.0", which the engine does not match to
      // this context's "4.0.1" and so loads from the FHIR package cache (the CLI always has it; offline here it
      // fails and every StructureDefinition got a snapshot error). They are the definitions at hand.
      session.getOtherVersions().put("4.0", worker);
      engine = new InstanceValidator(worker, null, null, session, new ValidatorSettings());
      engine.initializeFromParameters(parameters);
      // The CLI's advisor (ValidationService): references outside the resource are not resolved unless
      // -check-references; those inside it (contained, Bundle entries) are checked all the same.
      engine.setPolicyAdvisor(new BasePolicyAdvisorForFullValidation(ReferenceValidationPolicy.IGNORE, null));
      validated = 0;
    }
    validated++;
    return engine;
  }

  private void answer(String id, JsonArray issues) {
    JsonObject line = new JsonObject();
    line.addProperty("id", id);
    line.add("issues", issues);
    out.println(GSON.toJson(line));
    out.flush();
  }

  private static JsonObject issue(ValidationMessage m) {
    JsonObject o = new JsonObject();
    o.addProperty("severity", m.getLevel().toCode());
    o.addProperty("code", m.getType().toCode());
    o.addProperty("expression", m.getLocation());
    if (m.getLine() >= 0) o.addProperty("line", m.getLine());
    if (m.getCol() >= 0) o.addProperty("col", m.getCol());
    o.addProperty("message", m.getMessage());
    // The message key (e.g. "Type_Specific_Checks_DT_Date_Valid") is steadier than the wording for comparisons.
    if (m.getMessageId() != null && !m.getMessageId().contains(" ")) o.addProperty("messageId", m.getMessageId());
    return o;
  }

  /** The answer's issue list for an input the engine could not judge. */
  private static JsonArray fatal(String code, String message) {
    JsonObject o = new JsonObject();
    o.addProperty("severity", "fatal");
    o.addProperty("code", code);
    o.addProperty("message", message);
    JsonArray issues = new JsonArray();
    issues.add(o);
    return issues;
  }
}
