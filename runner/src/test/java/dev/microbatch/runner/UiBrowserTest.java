package dev.microbatch.runner;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI's page in a real headless Chromium (Debian's chromium and chromium-driver, given by path:
 * Selenium downloads nothing) over a running streaming pipeline: what a person would check. The
 * header names the pipeline and its settings, the completed-batches table grows while we look,
 * every timeline and histogram is drawn, clicking a timeline point and a batch link open that
 * batch, and the page logged no JavaScript error. Screenshots go to target/. Without the browser
 * the test fails (it does not skip): CI installs it.
 */
class UiBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  @TempDir Path profile;

  @Test
  void thePageShowsTheRunningPipelineAndOpensABatch() throws Exception {
    if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
      fail("The UI's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + ": apt-get install -y chromium chromium-driver");
    }
    Pipeline pipeline = UiTestPipelines.withUi("ui-browser-test", 40);
    UiTestPipelines.keyedCount(pipeline, 2_000);
    MicroBatchPipelineResult result = (MicroBatchPipelineResult) pipeline.run();
    URI ui = result.uiAddress().orElseThrow();
    ChromeDriver browser = null;
    try {
      browser = chromium();
      browser.get(ui.toString());
      // The page rebuilds its tables every second: an element found may be replaced before it is read,
      // so every read goes through the wait, which tries again with a fresh lookup.
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
      wait.ignoring(StaleElementReferenceException.class);

      wait.until(d -> d.findElement(By.id("pipeline-name")).getText().equals("ui-browser-test"));
      assertThat(text(wait, By.id("pipeline-mode")), is("streaming"));
      String summary = text(wait, By.id("summary"));
      assertThat(summary, containsString("Batch interval: 100 ms"));
      assertThat(summary, containsString("Parallelism: 2"));

      // Rows that advance: the newest batch number grows while the page refreshes itself.
      By newestSequence = By.cssSelector("#completed-batches tbody tr:first-child td:nth-child(2)");
      wait.until(d -> !d.findElements(newestSequence).isEmpty());
      long first = Long.parseLong(text(wait, newestSequence));
      wait.until(d -> Long.parseLong(d.findElement(newestSequence).getText()) > first);
      assertThat(
          wait.until(d -> d.findElements(By.cssSelector("#completed-batches tbody tr")).size()),
          greaterThanOrEqualTo(2));
      wait.until(d -> d.findElement(By.id("summary-records-processed")).getText().endsWith("2000"));

      // Every timeline and histogram is drawn: uPlot puts a canvas of non-zero size in each cell.
      List<Dimension> canvases = wait.until(d -> d.findElements(By.cssSelector("#timelines td canvas")).stream()
          .map(WebElement::getSize).toList());
      assertThat(canvases.size(), is(8));
      for (Dimension canvas : canvases) {
        assertThat(canvas.getWidth(), greaterThan(100));
        assertThat(canvas.getHeight(), greaterThan(50));
      }
      assertThat(
          text(wait, By.cssSelector("tr[data-metric=processingTime] .avg")),
          containsString("Avg: "));
      // The input rate is drawn per input too: the legend names the source, with its average.
      assertThat(
          text(wait, By.cssSelector("tr[data-metric=inputRate] .u-legend")),
          containsString("Numbers"));
      assertThat(
          text(wait, By.cssSelector("tr[data-metric=inputRate] .avg-source")),
          containsString("Numbers"));
      // The stateful stage shows its state: 10 keys (column 13), and the stage reading the input
      // its backpressure (no rate limit here).
      By statefulRow = By.xpath("//table[@id='stages']/tbody/tr[td[2]='stateful']");
      wait.until(d -> !d.findElements(statefulRow).isEmpty()
          && d.findElement(statefulRow).findElement(By.xpath("td[13]")).getText().equals("10"));
      assertThat(
          text(wait, By.xpath("//table[@id='stages']/tbody/tr[td[6]!='-']/td[6]")),
          containsString("no rate limit"));
      // The pipeline's own metrics are listed by step (the runner counts elements per step too).
      wait.until(d -> !d.findElements(By.cssSelector("#user-metrics tbody tr")).isEmpty());
      screenshot(browser, "ui-overview.png");

      // Clicking a point of the processing-time timeline opens that batch.
      By over = By.cssSelector("tr[data-metric=processingTime] td.chart .u-over");
      wait.until(d -> {
        new Actions(d).moveToElement(d.findElement(over)).click().perform();
        return true;
      });
      wait.until(d -> d.getCurrentUrl().contains("#batch="));
      wait.until(d -> d.findElement(By.id("batch-page")).isDisplayed()
          && !d.findElements(By.cssSelector("#batch-details dd")).isEmpty());
      String batchTime = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#batch=") + 7);
      assertThat(
          text(wait, By.cssSelector("#batch-details dd[data-field='Batch id (batch time, ms)']")),
          is(batchTime));
      assertThat(
          text(wait, By.cssSelector("#batch-details dd[data-field='Status']")), is("COMPLETED"));

      // A batch link of the table opens its batch too, with its records.
      browser.get(ui.toString());
      // The sequence and the link come from the same row: the table may gain a newer batch meanwhile.
      By newestRow = By.cssSelector("#completed-batches tbody tr:first-child");
      wait.until(d -> !d.findElements(By.cssSelector("#completed-batches tbody tr:first-child a.batch-link")).isEmpty());
      String sequence = wait.until(d -> {
        WebElement row = d.findElement(newestRow);
        String shown = row.findElement(By.cssSelector("td:nth-child(2)")).getText();
        row.findElement(By.cssSelector("a.batch-link")).click();
        return shown;
      });
      wait.until(d -> d.findElement(By.id("batch-title")).getText().startsWith(sequence + " at "));
      assertThat(
          text(wait, By.cssSelector("#batch-details dd[data-field='Records in']")).matches("\\d+"),
          is(true));
      assertThat(
          wait.until(d -> d.findElements(By.cssSelector("#batch-stages tbody tr")).size()), greaterThanOrEqualTo(2));
      assertThat(
          text(wait, By.xpath("//table[@id='batch-stages']/tbody/tr[td[2]='stateful']/td[1]")),
          containsString("CountPerKey"));
      assertThat(
          text(wait, By.cssSelector("#batch-inputs tbody tr td:first-child")),
          containsString("Numbers"));
      screenshot(browser, "ui-batch.png");

      Object errors = browser.executeScript("return window.microbatchUiErrors;");
      assertThat(String.valueOf(errors), (List<?>) errors, empty());
      List<String> severe =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
              .map(LogEntry::getMessage)
              .toList();
      assertThat(severe.toString(), severe, empty());
    } finally {
      if (browser != null) {
        browser.quit();
      }
      result.cancel();
    }
  }

  private ChromeDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1400,1600", "--user-data-dir=" + profile.toAbsolutePath());
    options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** The element's text, read from a fresh lookup whenever the page replaced the element meanwhile. */
  private static String text(WebDriverWait wait, By element) {
    return wait.until(d -> d.findElement(element).getText());
  }

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
