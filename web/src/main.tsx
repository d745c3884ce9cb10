import { render } from "preact";
import { App } from "./app";
import { Page } from "./components/Page";
import "./styles.css";

const app = new App();
app.start();
render(<Page app={app} />, document.getElementById("app")!);
