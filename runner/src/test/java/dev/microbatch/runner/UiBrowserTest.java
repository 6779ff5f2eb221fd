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
import org.openqa.selenium.OutputType;
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
      WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

      wait.until(d -> d.findElement(By.id("pipeline-name")).getText().equals("ui-browser-test"));
      assertThat(browser.findElement(By.id("pipeline-mode")).getText(), is("streaming"));
      String summary = browser.findElement(By.id("summary")).getText();
      assertThat(summary, containsString("Batch interval: 100 ms"));
      assertThat(summary, containsString("Parallelism: 2"));

      // Rows that advance: the newest batch number grows while the page refreshes itself.
      By newestSequence = By.cssSelector("#completed-batches tbody tr:first-child td:nth-child(2)");
      wait.until(d -> !d.findElements(newestSequence).isEmpty());
      long first = Long.parseLong(browser.findElement(newestSequence).getText());
      wait.until(d -> Long.parseLong(d.findElement(newestSequence).getText()) > first);
      assertThat(
          browser.findElements(By.cssSelector("#completed-batches tbody tr")).size(), greaterThanOrEqualTo(2));
      wait.until(d -> d.findElement(By.id("summary-records-processed")).getText().endsWith("2000"));

      // Every timeline and histogram is drawn: uPlot puts a canvas of non-zero size in each cell.
      List<WebElement> canvases = browser.findElements(By.cssSelector("#timelines td canvas"));
      assertThat(canvases.size(), is(8));
      for (WebElement canvas : canvases) {
        assertThat(canvas.getSize().getWidth(), greaterThan(100));
        assertThat(canvas.getSize().getHeight(), greaterThan(50));
      }
      assertThat(
          browser.findElement(By.cssSelector("tr[data-metric=processingTime] .avg")).getText(),
          containsString("Avg: "));
      // The input rate is drawn per input too: the legend names the source, with its average.
      assertThat(
          browser.findElement(By.cssSelector("tr[data-metric=inputRate] .u-legend")).getText(),
          containsString("Numbers"));
      assertThat(
          browser.findElement(By.cssSelector("tr[data-metric=inputRate] .avg-source")).getText(),
          containsString("Numbers"));
      // The stateful stage shows its state: 10 keys (column 13), and the stage reading the input
      // its backpressure (no rate limit here).
      By statefulRow = By.xpath("//table[@id='stages']/tbody/tr[td[2]='stateful']");
      wait.until(d -> !d.findElements(statefulRow).isEmpty()
          && d.findElement(statefulRow).findElement(By.xpath("td[13]")).getText().equals("10"));
      assertThat(
          browser.findElement(By.xpath("//table[@id='stages']/tbody/tr[td[6]!='-']/td[6]")).getText(),
          containsString("no rate limit"));
      // The pipeline's own metrics are listed by step (the runner counts elements per step too).
      wait.until(d -> !d.findElements(By.cssSelector("#user-metrics tbody tr")).isEmpty());
      screenshot(browser, "ui-overview.png");

      // Clicking a point of the processing-time timeline opens that batch.
      WebElement over = browser.findElement(By.cssSelector("tr[data-metric=processingTime] td.chart .u-over"));
      new Actions(browser).moveToElement(over).click().perform();
      wait.until(d -> d.getCurrentUrl().contains("#batch="));
      wait.until(d -> d.findElement(By.id("batch-page")).isDisplayed()
          && !d.findElements(By.cssSelector("#batch-details dd")).isEmpty());
      String batchTime = browser.getCurrentUrl().substring(browser.getCurrentUrl().indexOf("#batch=") + 7);
      assertThat(
          browser.findElement(By.cssSelector("#batch-details dd[data-field='Batch id (batch time, ms)']")).getText(),
          is(batchTime));
      assertThat(
          browser.findElement(By.cssSelector("#batch-details dd[data-field='Status']")).getText(), is("COMPLETED"));

      // A batch link of the table opens its batch too, with its records.
      browser.get(ui.toString());
      By link = By.cssSelector("#completed-batches tbody tr:first-child a.batch-link");
      wait.until(d -> !d.findElements(link).isEmpty());
      String sequence = browser.findElement(newestSequence).getText();
      browser.findElement(link).click();
      wait.until(d -> d.findElement(By.id("batch-title")).getText().startsWith(sequence + " at "));
      assertThat(
          browser.findElement(By.cssSelector("#batch-details dd[data-field='Records in']")).getText().matches("\\d+"),
          is(true));
      assertThat(browser.findElements(By.cssSelector("#batch-stages tbody tr")).size(), greaterThanOrEqualTo(2));
      assertThat(
          browser.findElement(By.xpath("//table[@id='batch-stages']/tbody/tr[td[2]='stateful']/td[1]")).getText(),
          containsString("CountPerKey"));
      assertThat(
          browser.findElement(By.cssSelector("#batch-inputs tbody tr td:first-child")).getText(),
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

  private static void screenshot(ChromeDriver browser, String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
  }
}
